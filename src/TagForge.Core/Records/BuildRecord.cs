using System.Text.Json.Serialization;

namespace TagForge.Records;

/// <summary>
/// The build record (<c>tagforge.json</c>): what was pushed, by digest, for deploy steps to consume. One entry per
/// repository; releasing more images into the same file merges entries.
/// </summary>
/// <param name="SchemaVersion">The record's schema version; readers refuse newer ones rather than guess.</param>
/// <param name="Images">One entry per repository.</param>
public sealed record BuildRecord(int SchemaVersion, IReadOnlyList<ImageRecord> Images)
{
    /// <summary>The schema version this TagForge writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>An empty record.</summary>
    public static BuildRecord Empty { get; } = new(CurrentSchemaVersion, []);

    /// <summary>The entry for <paramref name="repository"/> (as written or normalised), or <see langword="null"/>.</summary>
    public ImageRecord? Find(string repository)
    {
        var wanted = Values.ImageReference.TryParse(repository, out var parsed) ? parsed.FullName : repository;
        return Images.FirstOrDefault(image =>
            image.Repository == repository
            || (Values.ImageReference.TryParse(image.Repository, out var candidate) && candidate.FullName == wanted));
    }

    /// <summary>This record with <paramref name="image"/> added, replacing any entry for the same repository.</summary>
    public BuildRecord With(ImageRecord image) =>
        this with { Images = [.. Images.Where(existing => existing.Repository != image.Repository), image] };
}

/// <summary>One pushed image.</summary>
/// <param name="Repository">The repository as given (<c>registry/path</c>, no tag).</param>
/// <param name="Tag">The generated tag.</param>
/// <param name="Digest">The manifest digest the registry stored (<c>sha256:…</c>).</param>
/// <param name="Reference"><c>repository@digest</c>: what a deployment should use.</param>
/// <param name="ImageId">The local image id (config digest) docker reported.</param>
/// <param name="Tags">Every tag pushed for this digest.</param>
/// <param name="Platform">The platform built for, when one was asked for (<c>linux/amd64</c>).</param>
/// <param name="Git">The source.</param>
/// <param name="Build">The CI build.</param>
/// <param name="CreatedAt">When the build ran (UTC).</param>
public sealed record ImageRecord(
    string Repository,
    string Tag,
    string Digest,
    string Reference,
    string? ImageId,
    IReadOnlyList<string> Tags,
    string? Platform,
    GitRecord Git,
    BuildInfoRecord Build,
    DateTimeOffset CreatedAt);

/// <summary>The source an image was built from.</summary>
public sealed record GitRecord(string Commit, string? Branch, bool Dirty);

/// <summary>The CI build that made an image.</summary>
public sealed record BuildInfoRecord(string Provider, string? Number, string? Url);

/// <summary>Source-generated JSON for the record (no reflection: the library is trimmed and AOT-compiled).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BuildRecord))]
internal sealed partial class RecordJsonContext : JsonSerializerContext;
