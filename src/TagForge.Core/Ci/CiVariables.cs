namespace TagForge.Ci;

/// <summary>Small helpers shared by the providers for the shapes CI variables come in.</summary>
internal static class CiVariables
{
    /// <summary><c>refs/heads/main</c> → <c>main</c>; <c>origin/main</c> → <c>main</c>; anything else unchanged.</summary>
    public static string? ShortBranch(string? reference)
    {
        if (reference is null)
        {
            return null;
        }

        foreach (var prefix in (ReadOnlySpan<string>)["refs/heads/", "refs/remotes/origin/", "origin/"])
        {
            if (reference.StartsWith(prefix, StringComparison.Ordinal))
            {
                return reference[prefix.Length..];
            }
        }

        return reference;
    }

    /// <summary>Some systems set a variable to <c>false</c> (Buildkite) or a URL (CircleCI) instead of a number.</summary>
    public static string? PullRequestNumber(string? value)
    {
        if (value is null || value == "false")
        {
            return null;
        }

        var lastSlash = value.LastIndexOf('/');
        return lastSlash >= 0 ? value[(lastSlash + 1)..] : value;
    }
}
