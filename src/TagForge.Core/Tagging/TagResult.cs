using TagForge.Git;

namespace TagForge.Tagging;

/// <summary>A generated tag and every input that made it, so a record or a log can say why it is what it is.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Template">The template it was rendered from.</param>
/// <param name="Commit">The commit tagged (a pull request's head, not a synthetic merge commit).</param>
/// <param name="Branch">The branch, unsanitised, or <see langword="null"/> when it is unknown (detached HEAD outside CI).</param>
/// <param name="BuildNumber">The build number used for <c>{build}</c>.</param>
/// <param name="Provider">The CI system, or <c>local</c>.</param>
/// <param name="PullRequest">The pull request's number, in a pull-request build.</param>
/// <param name="BuildUrl">The CI build's page.</param>
/// <param name="Time">The build time (UTC).</param>
/// <param name="Dirty">True when tracked files differed from the commit (and the check was not switched off).</param>
/// <param name="Version">The nearest version tag's facts, when the template used <c>{version}</c> or <c>{height}</c>.</param>
/// <param name="RepositoryRoot">The git working directory.</param>
public sealed record TagResult(
    string Tag,
    string Template,
    string Commit,
    string? Branch,
    string BuildNumber,
    string Provider,
    string? PullRequest,
    string? BuildUrl,
    DateTimeOffset Time,
    bool Dirty,
    GitVersionInfo? Version,
    string RepositoryRoot);
