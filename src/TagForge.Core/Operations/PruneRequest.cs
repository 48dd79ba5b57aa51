using System.Globalization;
using TagForge.Errors;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary>
/// Plan (and with <see cref="Apply"/>, carry out) the deletion of the tags and manifests of one repository that nothing
/// keeps (<c>tagforge prune</c>). What is deployed or recorded is never deletable.
/// </summary>
public sealed record PruneRequest
{
    /// <summary>The repository: <c>registry/path</c> (a tag or digest in it is ignored).</summary>
    public required string Repository { get; init; }

    /// <summary>Build records whose digests (entries, platform children, promotions into this repository) are kept.</summary>
    public IReadOnlyList<string> KeepRecords { get; init; } = [];

    /// <summary>
    /// Deployment files or directories (read with the same locators as pin and verify) whose images in this repository
    /// are kept: pinned digests, and the digest a referenced tag points at now. A file that cannot be read refuses the prune.
    /// </summary>
    public IReadOnlyList<string> KeepPinned { get; init; } = [];

    /// <summary>
    /// Keep the newest N releases (by the config's <c>created</c> time; tag order where an image has none). A release is
    /// an image or index with its platform tags, signature, attestation, SBOM and referrers tags: it counts once.
    /// </summary>
    public int? KeepLast { get; init; }

    /// <summary>Keep releases created less than this long ago (one without a created time is kept).</summary>
    public TimeSpan? KeepNewerThan { get; init; }

    /// <summary>
    /// Prune although some image positions of the keep files cannot be resolved to a tag or digest (a variable without
    /// a default, an empty Helm tag, a kustomize entry whose base is not given): whatever they name is not kept.
    /// Without it such a position refuses the prune (exit 2, naming file and line).
    /// </summary>
    public bool AcceptUnreadable { get; init; }

    /// <summary>Allow a prune with no keep set at all (everything in the repository is deletable).</summary>
    public bool KeepNothing { get; init; }

    /// <summary>Delete what the plan says may go; without it nothing is deleted.</summary>
    public bool Apply { get; init; }

    /// <summary>Check that everything the keep set references still exists (missing: exit 3).</summary>
    public bool Check { get; init; }

    /// <summary>Registry requests in flight at once; <c>TAGFORGE_REGISTRY_CONCURRENCY</c>, else 8 (<see cref="Registry.RegistryConcurrency.Default"/>), when null.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Credentials, plain-http registries and ECR; TagForge's credential chain alone when null.</summary>
    public RegistryAccess? Registry { get; init; }

    /// <summary>Parses an age such as <c>30d</c>, <c>12h</c>, <c>90m</c> or <c>2w</c>.</summary>
    /// <exception cref="BadInputException">Not a whole number followed by m, h, d or w.</exception>
    public static TimeSpan ParseAge(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && int.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            switch (trimmed[^1])
            {
                case 'm': return TimeSpan.FromMinutes(count);
                case 'h': return TimeSpan.FromHours(count);
                case 'd': return TimeSpan.FromDays(count);
                case 'w': return TimeSpan.FromDays(7 * count);
            }
        }

        throw new BadInputException($"'{text}' is not an age; use a whole number and m, h, d or w (30d, 12h, 2w)");
    }
}
