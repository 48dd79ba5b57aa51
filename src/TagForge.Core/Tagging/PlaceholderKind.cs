namespace TagForge.Tagging;

/// <summary>The placeholders a tag template understands.</summary>
public enum PlaceholderKind
{
    /// <summary><c>{sha}</c>, <c>{sha:N}</c>: the commit, whole or its first N hex characters.</summary>
    Sha,

    /// <summary><c>{branch}</c>: the branch, sanitised.</summary>
    Branch,

    /// <summary><c>{build}</c>: the CI build number (<c>local</c> outside CI).</summary>
    Build,

    /// <summary><c>{time:FORMAT}</c>: the build time in UTC (<c>unix</c> for epoch seconds).</summary>
    Time,

    /// <summary><c>{commit-time:FORMAT}</c>: the committer time in UTC: the same for every rebuild of a commit.</summary>
    CommitTime,

    /// <summary><c>{version}</c>: the version from the nearest <c>v</c>-prefixed SemVer tag, MinVer's way.</summary>
    Version,

    /// <summary><c>{height}</c>: commits since that tag (or since the root).</summary>
    Height,

    /// <summary><c>{env:NAME}</c>: an environment variable, sanitised.</summary>
    Env,

    /// <summary><c>{seq}</c>: the next integer after the highest one the registry holds for the template (needs a registry).</summary>
    Seq,

    /// <summary><c>{content}</c> / <c>{content:N}</c>: the hash of what goes into the image, supplied by the caller (<see cref="TagRequest.Content"/>).</summary>
    Content,
}
