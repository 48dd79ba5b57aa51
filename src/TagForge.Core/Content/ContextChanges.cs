using LibGit2Sharp;
using TagForge.Errors;
using TagForge.Git;

namespace TagForge.Content;

/// <summary>
/// <c>--changed-since REF</c>, git's word on what changed: the files that differ between REF's tree and HEAD's,
/// plus the uncommitted changes of the working tree (staged, unstaged, untracked and not ignored). An image is
/// changed when one of them is under its context and kept by its <c>.dockerignore</c>, or is its Dockerfile.
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

        return new ContextChanges(Path.GetFullPath(repository.Info.WorkingDirectory), paths);
    }

    /// <summary>True when a changed file goes into the image built from <paramref name="contextPath"/> with <paramref name="dockerfile"/>.</summary>
    public bool Touches(string contextPath, string? dockerfile)
    {
        var context = Relative(contextPath);
        var file = Relative(dockerfile ?? Path.Combine(contextPath, "Dockerfile"));
        var ignore = DockerIgnore.ForContext(contextPath);
        foreach (var path in _paths)
        {
            if (path == file)
            {
                return true;
            }

            if (context.Length == 0 ? !ignore.IsIgnored(path)
                : path.StartsWith(context + "/", StringComparison.Ordinal) && !ignore.IsIgnored(path[(context.Length + 1)..]))
            {
                return true;
            }
        }

        return false;
    }

    private string Relative(string path)
    {
        var relative = Path.GetRelativePath(_workdir, Path.GetFullPath(path)).Replace('\\', '/');
        return relative == "." ? "" : relative;
    }
}
