namespace TagForge.Tagging;

/// <summary>
/// Everything that decides a tag, as data (the environment and the clock are the caller's services). Unset values are <see langword="null"/> so a caller can layer its sources
/// (command line, then a config file, then defaults) in one place.
/// </summary>
public sealed record TagRequest
{
    /// <summary>The template; with neither this nor <see cref="Preset"/>, <see cref="TagPresets.Default"/>.</summary>
    public string? Template { get; init; }

    /// <summary>A named template from <see cref="TagPresets"/>.</summary>
    public string? Preset { get; init; }

    /// <summary>A directory inside the git repository; the current directory when unset.</summary>
    public string? RepositoryPath { get; init; }

    /// <summary>Overrides the CI system's build number.</summary>
    public string? BuildNumber { get; init; }

    /// <summary>The build time; else <c>SOURCE_DATE_EPOCH</c>, else now.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>What a dirty working tree does to the tag; <see cref="DirtyMode.Suffix"/> when unset.</summary>
    public DirtyMode? Dirty { get; init; }

    /// <summary>The value of <c>{seq}</c>, found by the caller from the registry's tags.</summary>
    public long? Sequence { get; init; }

    /// <summary>The value of <c>{content}</c> (64 hex digits), computed by the caller from the image's inputs.</summary>
    public string? Content { get; init; }
}
