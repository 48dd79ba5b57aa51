using System.Text.Json;
using TagForge.Values;

namespace TagForge.Containers;

/// <summary>
/// <c>docker buildx build --push --metadata-file</c>, as data, and the metadata file it writes: the BuildKit builder
/// pushes itself (no image is loaded back), and the digest is read from <c>containerimage.digest</c>, never from the
/// log. Not offered as <c>--builder buildx</c> yet, and not run by this project's tests: there is no buildx binary on
/// the machines it is tested on (docs/builders.md). The rendering and the parsing are unit-tested.
/// </summary>
public static class BuildxArguments
{
    /// <summary><c>buildx build --push --metadata-file SCRATCH/metadata.json …</c> for <paramref name="request"/>.</summary>
    public static (IReadOnlyList<string> Arguments, string MetadataFile) Build(DockerBuildRequest request, string scratchDirectory, string? builder = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metadata = Path.Combine(scratchDirectory, "metadata.json");
        List<string> arguments = ["buildx", "build", .. builder is null ? Array.Empty<string>() : ["--builder", builder], "--push", "--metadata-file", metadata, "--file", request.DockerfilePath];
        DockerArguments.AddBuildOptions(arguments, request);
        return (arguments, metadata);
    }

    /// <summary>The pushed manifest (or index) digest and the config digest from buildx's metadata file.</summary>
    /// <exception cref="ContainerToolException">The file holds no <c>containerimage.digest</c>.</exception>
    public static (Digest Digest, Digest? Config) ParseMetadata(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("containerimage.digest", out var digestElement)
                && Digest.TryParse(digestElement.GetString(), out var digest))
            {
                Digest? config = root.TryGetProperty("containerimage.config.digest", out var configElement) && Digest.TryParse(configElement.GetString(), out var parsed) ? parsed : null;
                return (digest, config);
            }
        }
        catch (JsonException)
        {
            // Falls through to the one message below.
        }

        throw new ContainerToolException("docker buildx build --push wrote no containerimage.digest to its --metadata-file", 0, []);
    }
}
