using System.Text.Json;
using System.Text.Json.Serialization;
using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Engine;

/// <summary>
/// The frozen plan of a matrix release (<c>tagforge plan -o plan.json</c>): decided once in a setup job, read by
/// every build job and by the merge job, so they agree on every tag whatever their clocks say.
/// </summary>
/// <param name="SchemaVersion">1.</param>
/// <param name="Commit">The commit planned; a checkout of another commit refuses the plan.</param>
/// <param name="Branch">Its branch, for the record.</param>
/// <param name="Dirty">Whether the planning checkout was dirty.</param>
/// <param name="Provider">The CI system.</param>
/// <param name="BuildNumber">The build number, fixed.</param>
/// <param name="BuildUrl">The CI build's page.</param>
/// <param name="Time">The build time, fixed.</param>
/// <param name="Images">Every image of the release.</param>
/// <param name="Matrix">The jobs to run: one per image that needs a build and platform (<c>{"include":[...]}</c> in a GitHub matrix).</param>
/// <param name="Record">The record the release merges its entries into (as given), or null.</param>
public sealed record ReleasePlanFile(
    int SchemaVersion,
    string Commit,
    string? Branch,
    bool Dirty,
    string Provider,
    string? BuildNumber,
    string? BuildUrl,
    DateTimeOffset Time,
    IReadOnlyList<PlannedImageEntry> Images,
    IReadOnlyList<MatrixJob> Matrix,
    string? Record = null)
{
    /// <summary>The plan schema version this TagForge writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The image named <paramref name="nameOrRepository"/> (its <c>images:</c> name or its repository).</summary>
    /// <exception cref="BadInputException">The plan has no such image.</exception>
    public PlannedImageEntry Find(string nameOrRepository) =>
        Images.FirstOrDefault(i => i.Name == nameOrRepository) ?? Images.FirstOrDefault(i => i.Repository == nameOrRepository)
        ?? throw new BadInputException($"the plan has no image '{nameOrRepository}' (it has {string.Join(", ", Images.Select(i => i.Name))})");

    /// <summary>Reads a plan.</summary>
    /// <exception cref="BadInputException">Missing, not a plan, or a newer schema.</exception>
    public static ReleasePlanFile Read(string path, string name)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the plan {name}: {ex.Message}", ex);
        }

        try
        {
            var plan = JsonSerializer.Deserialize(bytes, PlanJsonContext.Default.ReleasePlanFile);
            if (plan is null || plan.Images is null || plan.Commit is null)
            {
                throw new BadInputException($"the plan {name} is not a TagForge plan");
            }

            return plan.SchemaVersion > CurrentSchemaVersion
                ? throw new BadInputException($"the plan {name} has schemaVersion {plan.SchemaVersion}, newer than this TagForge reads ({CurrentSchemaVersion}); upgrade TagForge")
                : plan;
        }
        catch (JsonException ex)
        {
            throw new BadInputException($"the plan {name} is not a TagForge plan ({ex.Message})", ex);
        }
    }

    /// <summary>Writes the plan atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, Serialize());

    /// <summary>The plan's JSON.</summary>
    public string Serialize() => JsonSerializer.Serialize(this, PlanJsonContext.Default.ReleasePlanFile) + "\n";

    /// <summary>The matrix alone, on one line: <c>{"include":[{"image":"api","platform":"linux/arm64"}]}</c>.</summary>
    public string MatrixJson() => JsonSerializer.Serialize(new MatrixDocument(Matrix), PlanJsonContext.Compact.MatrixDocument);
}

/// <summary>One image of a plan.</summary>
/// <param name="Name">The <c>images:</c> name.</param>
/// <param name="Repository">Where it is pushed.</param>
/// <param name="Tag">The tag of its index (or of its one manifest), fixed; for one image on one platform it may hold <c>{seq}</c>, which the push numbers.</param>
/// <param name="ContentHash">Its <c>{content}</c> hash, when computed.</param>
/// <param name="Platforms">The platforms to build; empty = the engine's own, one manifest.</param>
/// <param name="Build">True when it needs a build; false when it is reused.</param>
/// <param name="ReusedDigest">The digest reused, when not built.</param>
/// <param name="ReusedTag">The tag the reused digest was found under.</param>
/// <param name="DependsOn">Images it is built from (their jobs must run first: see <see cref="Stage"/>).</param>
/// <param name="Stage">0 for an image built from no image of the plan; else one more than its deepest base.</param>
/// <param name="AdditionalTags">More tags for the index (the content tag, <c>--extra-tag</c>).</param>
/// <param name="Reason">Why it is built or reused, in words.</param>
/// <param name="ContentTag">The tag that names its content identity (<c>content-…</c>, or the tag itself when the template is <c>{content}</c> alone).</param>
/// <param name="PlatformTags">The tags each platform's manifest is pushed under before the index (<c>TAG-linux-arm64</c>); empty for one platform.</param>
/// <param name="Context">The build context (absolute).</param>
/// <param name="Dockerfile">The Dockerfile (absolute).</param>
/// <param name="Target">The build stage.</param>
/// <param name="BuildArgs">Its own build arguments as written (<c>{image:NAME}</c> becomes the base's reference when it is built).</param>
/// <param name="Bases">The registry images its Dockerfile is built from, as written, with the digest each resolved to when planned (part of the identity; recorded).</param>
/// <param name="PullBases">True when every registry base resolved: the build fetches them afresh (docker <c>--pull</c>), so it builds from what the identity covers.</param>
public sealed record PlannedImageEntry(
    string Name,
    string Repository,
    string Tag,
    string? ContentHash,
    IReadOnlyList<string> Platforms,
    bool Build,
    string? ReusedDigest,
    string? ReusedTag,
    IReadOnlyList<string> DependsOn,
    int Stage,
    IReadOnlyList<string> AdditionalTags,
    string? Reason = null,
    string? ContentTag = null,
    IReadOnlyList<string>? PlatformTags = null,
    string? Context = null,
    string? Dockerfile = null,
    string? Target = null,
    IReadOnlyList<string>? BuildArgs = null,
    IReadOnlyDictionary<string, string>? Bases = null,
    bool PullBases = false);

/// <summary>One build job of a matrix.</summary>
/// <param name="Image">The image's name.</param>
/// <param name="Platform">The platform (empty for the engine's own).</param>
/// <param name="Stage">Its image's stage.</param>
public sealed record MatrixJob(string Image, string Platform, int Stage);

/// <summary>A GitHub Actions matrix document.</summary>
/// <param name="Include">The jobs.</param>
public sealed record MatrixDocument(IReadOnlyList<MatrixJob> Include);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReleasePlanFile))]
[JsonSerializable(typeof(MatrixDocument))]
internal sealed partial class PlanJsonContext : JsonSerializerContext
{
    /// <summary>One-line JSON, for a CI output.</summary>
    public static PlanJsonContext Compact { get; } = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false });
}
