using TagForge.Errors;

namespace TagForge.Containers;

/// <summary>One <c>docker build</c>: what to build and how to name it.</summary>
public sealed record DockerBuildRequest
{
    /// <summary>The build context directory.</summary>
    public required string ContextPath { get; init; }

    /// <summary>The Dockerfile (<c>-f</c>); <c>CONTEXT/Dockerfile</c> when unset.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>Every <c>--tag</c> (full references).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>--build-arg NAME=VALUE</c> (or <c>NAME</c> alone, to take the value from the environment).</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary><c>--label NAME=VALUE</c>, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary><c>--target</c>.</summary>
    public string? Target { get; init; }

    /// <summary><c>--platform</c>, e.g. <c>linux/amd64</c>.</summary>
    public string? Platform { get; init; }

    /// <summary>
    /// <c>--pull</c> (docker): fetch every registry base afresh rather than use a local copy, so the image is built
    /// from the digests its plan resolved. podman and buildah check the registry for a newer base by default.
    /// </summary>
    public bool PullBases { get; init; }

    /// <summary>Further docker arguments, passed through as given (before the context).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>
    /// The commit's time (seconds since 1970), for reproducible builds: handed to the builder as <c>SOURCE_DATE_EPOCH</c>
    /// in its environment (BuildKit reads it) and, for podman and buildah, as <c>--timestamp</c>. Never on docker's argv.
    /// </summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>The Dockerfile this build reads.</summary>
    public string DockerfilePath => Dockerfile ?? Path.Combine(ContextPath, "Dockerfile");

    /// <summary>Refuses a build whose context or Dockerfile is missing, before any builder runs (the same words for every builder).</summary>
    /// <exception cref="BadInputException">The context is not a directory, or the Dockerfile does not exist.</exception>
    public void ThrowIfInputsMissing()
    {
        if (!Directory.Exists(ContextPath))
        {
            throw new BadInputException($"the build context {ContextPath} is not a directory");
        }

        if (!File.Exists(DockerfilePath))
        {
            throw new BadInputException($"the Dockerfile {DockerfilePath} does not exist; pass -f PATH");
        }
    }
}
