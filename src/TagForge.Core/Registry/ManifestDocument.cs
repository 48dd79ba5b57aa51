using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// The parts of an image manifest or index that TagForge reads (OCI image spec and Docker v2 schema 2). Parsed with
/// <see cref="JsonDocument"/> (no reflection: the core is trimmed and AOT-compiled); only a body that is one of those
/// shapes parses, so an HTML error page or a proxy's answer is never taken for a manifest.
/// </summary>
public sealed record ManifestDocument
{
    /// <summary>OCI image index.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>Docker manifest list.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Docker image manifest, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>The media type the document names (or, when it names none, the one it was served as).</summary>
    public required string MediaType { get; init; }

    /// <summary>A manifest's config descriptor; null for an index.</summary>
    public Descriptor? Config { get; init; }

    /// <summary>A manifest's layers; empty for an index.</summary>
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    /// <summary>An index's child manifests; empty for a manifest.</summary>
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];

    /// <summary>The manifest this one refers to (a signature or attestation's subject).</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>The artifact type, for artifacts.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The document's annotations.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>True for an index or manifest list (several platforms).</summary>
    public bool IsIndex => MediaType is OciIndex or DockerManifestList;

    /// <summary>True when <paramref name="mediaType"/> is an index or manifest list.</summary>
    public static bool IsIndexMediaType(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>Parses <paramref name="body"/>; false (with the reason) when it is not a manifest or index.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, string? servedMediaType, [NotNullWhen(true)] out ManifestDocument? document, [NotNullWhen(false)] out string? error)
    {
        document = null;
        try
        {
            using var json = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "the body is JSON but not an object";
                return false;
            }

            if (!root.TryGetProperty("schemaVersion", out var version) || !version.TryGetInt32(out var schema) || schema != 2)
            {
                error = "the body has no schemaVersion 2";
                return false;
            }

            var named = root.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            var hasManifests = root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array;
            var hasConfig = root.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object;
            var mediaType = named ?? (hasManifests ? OciIndex : hasConfig ? OciManifest : servedMediaType);
            if (mediaType is null || (!hasManifests && !hasConfig))
            {
                error = "the body has neither a config nor a manifests list";
                return false;
            }

            document = new ManifestDocument
            {
                MediaType = mediaType,
                Config = hasConfig ? ReadDescriptor(config) : null,
                Layers = root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array ? [.. layers.EnumerateArray().Select(ReadDescriptor)] : [],
                Manifests = hasManifests ? [.. manifests.EnumerateArray().Select(ReadDescriptor)] : [],
                Subject = root.TryGetProperty("subject", out var subject) && subject.ValueKind == JsonValueKind.Object ? ReadDescriptor(subject) : null,
                ArtifactType = root.TryGetProperty("artifactType", out var artifact) && artifact.ValueKind == JsonValueKind.String ? artifact.GetString() : null,
                Annotations = ReadAnnotations(root),
            };
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = "the body is not JSON (" + ex.Message + ")";
            return false;
        }
        catch (FormatException ex)
        {
            error = "a descriptor in the body is malformed (" + ex.Message + ")";
            return false;
        }
        catch (InvalidOperationException ex)
        {
            error = "a descriptor in the body has the wrong type (" + ex.Message + ")";
            return false;
        }
    }

    /// <summary>
    /// An OCI image index of <paramref name="manifests"/> (each with its platform), as the bytes to put: the same
    /// input always gives the same bytes, so a rerun of a merge pushes the same digest.
    /// </summary>
    public static byte[] SerializeIndex(IReadOnlyList<Descriptor> manifests, IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", OciIndex);
            writer.WriteStartArray("manifests");
            foreach (var manifest in manifests)
            {
                writer.WriteStartObject();
                writer.WriteString("mediaType", manifest.MediaType);
                writer.WriteString("digest", manifest.Digest.ToString());
                writer.WriteNumber("size", manifest.Size);
                if (manifest.Platform is { } platform)
                {
                    writer.WriteStartObject("platform");
                    writer.WriteString("architecture", platform.Architecture);
                    writer.WriteString("os", platform.Os);
                    if (platform.Variant is not null)
                    {
                        writer.WriteString("variant", platform.Variant);
                    }

                    writer.WriteEndObject();
                }

                WriteAnnotations(writer, manifest.Annotations);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteAnnotations(writer, annotations);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteAnnotations(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is not { Count: > 0 })
        {
            return;
        }

        writer.WriteStartObject("annotations");
        foreach (var (key, value) in annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static Descriptor ReadDescriptor(JsonElement element)
    {
        var mediaType = element.TryGetProperty("mediaType", out var type) ? type.GetString() ?? "" : "";
        var digest = element.TryGetProperty("digest", out var text) ? Digest.Parse(text.GetString() ?? "") : throw new FormatException("a descriptor has no digest");
        var size = element.TryGetProperty("size", out var length) ? length.GetInt64() : 0;
        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            var os = p.TryGetProperty("os", out var o) ? o.GetString() : null;
            var architecture = p.TryGetProperty("architecture", out var a) ? a.GetString() : null;
            var variant = p.TryGetProperty("variant", out var v) ? v.GetString() : null;
            platform = os is not null && architecture is not null ? new Platform(os, architecture, variant) : null;
        }

        var artifactType = element.TryGetProperty("artifactType", out var artifact) && artifact.ValueKind == JsonValueKind.String ? artifact.GetString() : null;
        IReadOnlyList<string>? urls = element.TryGetProperty("urls", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(url => url.ValueKind == JsonValueKind.String).Select(url => url.GetString()!)]
            : null;
        return new Descriptor(mediaType, digest, size, platform, ReadAnnotations(element), artifactType, urls);
    }

    private static Dictionary<string, string>? ReadAnnotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out var annotations) || annotations.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in annotations.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : property.Value.GetRawText();
        }

        return result;
    }
}
