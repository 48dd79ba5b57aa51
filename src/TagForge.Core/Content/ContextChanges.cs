using LibGit2Sharp;
using TagForge.Errors;
using TagForge.Git;

namespace TagForge.Content;

/// <summary>
/// <c>--changed-since REF</c>, git's word on what changed: the files that differ between REF's tree and HEAD's,
/// plus the uncommitted changes of the working tree (staged, unstaged, untracked and not ignored). An image is
/// changed when one of them is sent to its builder (under its context and kept by the ignore file), is its
/// Dockerfile, or is one of the ignore files that select its context. Git can only speak for what it tracks: a
/// context that sends a file git does not track (build output git ignores, a submodule's files, a <c>.git</c>
/// directory) cannot be vouched for (<see cref="CanVouchFor"/>), and its image must not be reused without comparing
/// content identities.
/// </summary>
public sealed class ContextChanges
{
    private readonly HashSet<string> _paths;
    private readonly string _workdir;

    private ContextChanges(string workdir, HashSet<string> paths)
    {
        _workdir = workdir;
        _paths = paths;
    }

    /// <summary>The repository-relative paths (<c>/</c>-separated) that changed.</summary>
    public IReadOnlyCollection<string> Paths => _paths;

    /// <summary>What changed in the repository holding <paramref name="path"/> since <paramref name="revision"/>.</summary>
    /// <exception cref="BadInputException">No repository, or git does not know <paramref name="revision"/> (a shallow clone: fetch it).</exception>
    public static ContextChanges Since(string path, string revision)
    {
        // Not Repository.Discover: it returns null under Native AOT.
        using var repository = new Repository(GitRepositoryLocator.FindWorkingDirectory(path));
        Commit since;
        try
        {
            since = repository.Lookup<Commit>(revision)
                ?? throw new BadInputException($"--changed-since {revision}: git knows no such commit here (in a shallow clone, fetch it: git fetch --depth=1 origin {revision})");
        }
        catch (LibGit2SharpException ex)
        {
            throw new BadInputException($"--changed-since {revision}: {ex.Message}", ex);
        }

        var head = repository.Head.Tip ?? throw new BadInputException("--changed-since: the repository has no commits yet");
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in repository.Diff.Compare<TreeChanges>(since.Tree, head.Tree))
        {
            paths.Add(change.Path.Replace('\\', '/'));
            paths.Add(change.OldPath.Replace('\\', '/'));
        }

        foreach (var entry in repository.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true, ExcludeSubmodules = true }))
        {
            if (entry.State is not FileStatus.Unaltered and not FileStatus.Ignored)
            {
                paths.Add(entry.FilePath.Replace('\\', '/'));
            }
        }

        return new ContextChanges(ContextWalker.Resolve(repository.Info.WorkingDirectory), paths);
    }

    /// <summary>True when a changed file goes into the image built from <paramref name="contextPath"/> with <paramref name="dockerfile"/> by either builder.</summary>
    public bool Touches(string contextPath, string? dockerfile) =>
        Touches(contextPath, dockerfile, ContextRules.Classic) || Touches(contextPath, dockerfile, ContextRules.BuildKit);

    /// <summary>True when a changed file goes into the image built from <paramref name="contextPath"/> with <paramref name="dockerfile"/> by the builder of <paramref name="rules"/>.</summary>
    public bool Touches(string contextPath, string? dockerfile, ContextRules rules)
    {
        var root = ContextWalker.Resolve(contextPath);
        var context = Relative(root);
        var dockerfilePath = dockerfile ?? Path.Combine(root, "Dockerfile");
        // The Dockerfile and both ignore files that may select the context: an edit to any of them counts.
        string[] inputs = [Relative(dockerfilePath), Relative(dockerfilePath + ".dockerignore"), Relative(Path.Combine(root, ".dockerignore"))];
        if (_paths.Overlaps(inputs))
        {
            return true;
        }

        var ignore = DockerIgnore.For(root, dockerfile, rules);
        foreach (var path in _paths)
        {
            if (context.Length == 0 ? Kept(ignore, path)
                : path.StartsWith(context + "/", StringComparison.Ordinal) && Kept(ignore, path[(context.Length + 1)..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Kept when any of the engine's matchers keeps it (they differ on parent directories; a deleted path cannot be walked).</summary>
    private static bool Kept(DockerIgnore ignore, string path) => !ignore.IsIgnored(path) || !ignore.MatchesSingleParent(path);

    /// <summary>
    /// True when git tracks every entry the builder of <paramref name="rules"/> is sent from
    /// <paramref name="contextPath"/>, so <see cref="Touches(string, string?, ContextRules)"/> sees every change;
    /// false when it sends a file git does not track (build output git ignores, submodule contents, <c>.git</c>).
    /// </summary>
    public static bool CanVouchFor(string contextPath, string? dockerfile, ContextRules rules, ContentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!snapshot.Holds(contextPath))
        {
            return false;
        }

        return ContextWalker.Walk(contextPath, dockerfile, rules)
            .All(entry => entry.Kind == ContextEntryKind.Directory || snapshot.Tracks(entry.FullPath));
    }

    private string Relative(string path)
    {
        var relative = Path.GetRelativePath(_workdir, Path.GetFullPath(path)).Replace('\\', '/');
        return relative == "." ? "" : relative;
    }
}
