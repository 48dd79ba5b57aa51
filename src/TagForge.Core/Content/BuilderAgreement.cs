namespace TagForge.Content;

/// <summary>
/// Whether the classic builder and BuildKit provably select the same entries of a context, from its patterns and
/// the Dockerfile's place alone, so that one walk stands for both (<see cref="ContentHasher.IdentifyForEitherBuilder"/>).
/// Conservative: false only means "walk both and compare". Why true is true (the two walks of <see cref="ContextWalker"/>):
/// <list type="bullet">
/// <item>without a <c>!</c> pattern neither walk descends an ignored directory or sends an ignored entry, so a path
/// either walk reaches has no ignored parent; moby's single-parent <c>Matches</c> (BuildKit) and
/// <c>MatchesUsingParentResults</c> (classic) then both come down to "some pattern matches the path itself";</item>
/// <item>the two matchers answer that alike for every pattern but one starting with <c>**</c> and not <c>**/</c>
/// (a plain suffix for the CLI, a whole path component for docker 20.10: <see cref="IgnorePattern.Matches(string, bool)"/>);</item>
/// <item>the CLI's own additions (<c>!.dockerignore</c>, <c>!Dockerfile</c>) and the engine's deletions happen only
/// when a pattern matches <c>.dockerignore</c>, the Dockerfile or one of its directories;</item>
/// <item>BuildKit reads <c>&lt;Dockerfile&gt;.dockerignore</c> instead of <c>.dockerignore</c> when it exists, and the
/// classic CLI adds a Dockerfile from outside the context under a random name.</item>
/// </list>
/// tests/TagForge.Core.Tests/Content/BuilderAgreementProperties.cs walks both over generated trees and patterns.
/// </summary>
internal static class BuilderAgreement
{
    /// <summary>True when both builders provably send the same entries of <paramref name="context"/> (resolved) built with <paramref name="dockerfile"/>.</summary>
    /// <exception cref="Errors.BadInputException">The <c>.dockerignore</c> is unreadable or has a pattern the engine refuses.</exception>
    public static bool SelectAlike(string context, string? dockerfile)
    {
        var relativeDockerfile = ContextWalker.RelativeDockerfile(context, dockerfile);
        return relativeDockerfile is not null
            && !File.Exists((dockerfile ?? Path.Combine(context, "Dockerfile")) + ".dockerignore")
            && PatternsSelectAlike(DockerIgnore.For(context, dockerfile, ContextRules.Classic), relativeDockerfile);
    }

    /// <summary>True when <paramref name="ignore"/>, the one ignore file both builders read, selects alike in both walks with the Dockerfile at <paramref name="relativeDockerfile"/>.</summary>
    internal static bool PatternsSelectAlike(DockerIgnore ignore, string relativeDockerfile)
    {
        if (ignore.HasExclusions)
        {
            return false;
        }

        // The CLI keeps these (and the engine then drops them) where BuildKit leaves them out: none may be matched.
        var mustStay = new List<string> { ".dockerignore", relativeDockerfile };
        for (var slash = relativeDockerfile.IndexOf('/'); slash > 0; slash = relativeDockerfile.IndexOf('/', slash + 1))
        {
            mustStay.Add(relativeDockerfile[..slash]);
        }

        foreach (var pattern in ignore.Patterns)
        {
            if (!pattern.MatchesAlikeForEitherBuilder || mustStay.Exists(path => pattern.Matches(path, legacy: false) || pattern.Matches(path, legacy: true)))
            {
                return false;
            }
        }

        return true;
    }
}
