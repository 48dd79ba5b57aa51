namespace TagForge.Git;

/// <summary>
/// Whether git's configuration may set a checkout filter (<c>core.autocrlf</c>, <c>core.attributesFile</c>), answered
/// without libgit2 when that is provable: none of the files git reads names either key or an include. Anything less
/// certain (an include, a <c>GIT_CONFIG*</c> variable, no <c>HOME</c>, a file that cannot be read) answers
/// <see langword="null"/> and the caller asks libgit2, whose load and open cost more than the rest of a small
/// release's identity. Reading a file git would not read only sends more cases to libgit2, never fewer.
/// </summary>
internal static class GitFilterSettings
{
    private static readonly string[] Keys = ["autocrlf", "attributesfile", "include"];

    /// <summary>False when no configuration file git reads for <paramref name="gitDirectory"/> can set a filter; null when unsure.</summary>
    public static bool? MayFilter(string gitDirectory, string commonDirectory)
    {
        if (Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(name => name.StartsWith("GIT_CONFIG", StringComparison.Ordinal))
            || Environment.GetEnvironmentVariable("HOME") is not { Length: > 0 } home)
        {
            return null;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } configHome ? configHome : Path.Combine(home, ".config");
        string[] files =
        [
            Path.Combine(commonDirectory, "config"),
            Path.Combine(gitDirectory, "config.worktree"),
            Path.Combine(home, ".gitconfig"),
            Path.Combine(xdg, "git", "config"),
            Path.Combine(home, ".config", "git", "config"),
            "/etc/gitconfig",
            "/usr/local/etc/gitconfig",
        ];
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            // Key and section names are case-insensitive; a key cannot be split across lines.
            if (Keys.Any(key => text.Contains(key, StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }
        }

        return false;
    }
}
