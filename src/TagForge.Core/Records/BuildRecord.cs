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
    /// <summary>The newest schema version this TagForge reads and writes (docs/record.md).</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>The schema version of records that use none of version 2's members; still written for them, so older readers keep reading them.</summary>
    public const int FirstSchemaVersion = 1;

    /// <summary>Promotions of recorded images to other tags, repositories or registries (schema 2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PromotionRecord>? Promotions { get; init; }

    /// <summary>The lowest schema version that holds everything in this record: 1 unless a version-2 member is used.</summary>
    [JsonIgnore]
    public int RequiredSchemaVersion =>
        Promotions is { Count: > 0 } || Images.Any(image => image.UsesSchema2) ? CurrentSchemaVersion : FirstSchemaVersion;

    /// <summary>An empty record.</summary>
    public static BuildRecord Empty { get; } = new(CurrentSchemaVersion, []);

    /// <summary>The entry for <paramref name="repository"/> (as written or normalised), or <see langword="null"/>.</summary>
    public ImageRecord? Find(string repository)
    {
        var wanted = NormalizedName(repository);
        return Images.FirstOrDefault(image => image.Repository == repository) ?? Images.FirstOrDefault(image => NormalizedName(image.Repository) == wanted);
    }

    /// <summary>
    /// This record with <paramref name="image"/> added, replacing any entry for the same repository however it is
    /// spelled (<c>busybox</c> and <c>docker.io/library/busybox</c> are one repository), so a record TagForge writes
    /// never holds two entries for one repository.
    /// </summary>
    public BuildRecord With(ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = NormalizedName(image.Repository);
        return this with { Images = [.. Images.Where(existing => NormalizedName(existing.Repository) != name), image] };
    }

    /// <summary>This record with <paramref name="promotion"/> appended to <see cref="Promotions"/>.</summary>
    public BuildRecord WithPromotion(PromotionRecord promotion) =>
        this with { Promotions = [.. Promotions ?? [], promotion] };

    /// <summary>
    /// Pairs of entries that name one repository in two spellings with different digests (a hand-edited or
    /// concatenated record): a reader cannot tell which one is meant.
    /// </summary>
    public IReadOnlyList<(ImageRecord First, ImageRecord Second)> FindAmbiguous()
    {
        var pairs = new List<(ImageRecord, ImageRecord)>();
        foreach (var group in Images.GroupBy(image => NormalizedName(image.Repository), StringComparer.Ordinal))
        {
            var entries = group.ToList();
            for (var i = 0; i < entries.Count; i++)
            {
                for (var j = i + 1; j < entries.Count; j++)
                {
                    if (entries[i].Digest != entries[j].Digest)
                    {
                        pairs.Add((entries[i], entries[j]));
                    }
                }
            }
        }

        return pairs;
    }

    /// <summary>The repository's canonical name (<c>docker.io/library/busybox</c> for <c>busybox</c>); the text itself when it does not parse.</summary>
    public static string NormalizedName(string repository) =>
        Values.ImageReference.TryParse(repository, out var parsed) ? parsed.FullName : repository;
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
    DateTimeOffset CreatedAt)
{
    /// <summary>The <c>images:</c> entry of tagforge.yml this came from, for multi-image releases (schema 2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>The media type of <see cref="Digest"/>: an image index (several platforms) or a manifest (schema 2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    /// <summary>For an index: the platform manifests it holds, each with its own digest (schema 2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PlatformRecord>? Platforms { get; init; }

    /// <summary>The <c>{content}</c> hash of what went into the image (schema 2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ContentHash { get; init; }

    /// <summary>The images of the same release it was built from (<c>{image:NAME}</c>), by name, as <c>repository@digest</c> (schema 2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Bases { get; init; }

    /// <summary><c>built</c>, or <c>reused</c> when an unchanged image already in the registry was recorded without a build (schema 2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Outcome { get; init; }

    /// <summary>True when this entry uses a member that schema version 1 does not have.</summary>
    [JsonIgnore]
    public bool UsesSchema2 => Name is not null || MediaType is not null || Platforms is not null || ContentHash is not null || Outcome is not null || Bases is not null;

    /// <summary>The digest for <paramref name="platform"/> (<c>linux/arm64</c>): a child of an index, or this image when it was built for that platform; null when it has none.</summary>
    public string? DigestFor(string platform) =>
        Platforms?.FirstOrDefault(candidate => candidate.Platform == platform)?.Digest
        ?? (Platform == platform ? Digest : null);
}

/// <summary>One platform's manifest inside a recorded index.</summary>
/// <param name="Platform"><c>os/arch[/variant]</c>.</param>
/// <param name="Digest">The platform manifest's digest.</param>
/// <param name="Tag">The platform-specific tag it was pushed under, when it has one.</param>
/// <param name="ImageId">The local image id (config digest), when known.</param>
public sealed record PlatformRecord(string Platform, string Digest, string? Tag, string? ImageId);

/// <summary>A promotion: a recorded image put under another tag, repository or registry, digest unchanged.</summary>
/// <param name="Source">What was promoted (<c>repo:tag</c> or <c>repo@digest</c>).</param>
/// <param name="Destination">Where it went (<c>repo:tag</c>).</param>
/// <param name="Digest">The digest, the same at both ends.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Build">The CI build that promoted it, when one did.</param>
public sealed record PromotionRecord(string Source, string Destination, string Digest, DateTimeOffset At, BuildInfoRecord? Build);

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
