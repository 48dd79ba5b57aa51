namespace TagForge.Git;

/// <summary>Where HEAD stands relative to the nearest version tag.</summary>
/// <param name="Tag">The nearest <c>v</c>-prefixed SemVer tag, or <see langword="null"/> when there is none.</param>
/// <param name="Height">Commits reachable from HEAD and not from that tag (<c>git rev-list --count TAG..HEAD</c>);
/// with no tag, every commit reachable from HEAD (<c>git rev-list --count HEAD</c>).</param>
/// <param name="Version">The tag's version at height 0; past it MinVer's rule: <c>1.2.3</c> + 4 → <c>1.2.4-alpha.0.4</c>,
/// <c>1.3.0-rc.1</c> + 4 → <c>1.3.0-rc.1.4</c>; with no tag <c>0.0.0-alpha.0.HEIGHT</c>.</param>
public sealed record GitVersionInfo(string? Tag, int Height, SemanticVersion Version);
