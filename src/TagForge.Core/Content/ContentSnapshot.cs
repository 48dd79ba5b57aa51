using System.Text;
using LibGit2Sharp;
using TagForge.Errors;
using TagForge.Git;

namespace TagForge.Content;

/// <summary>
/// One repository as the content hash reads it: opened once, HEAD's tree, and one status of the working tree, shared
/// by every image of a release (opening libgit2 and reading the status per image was most of a monorepo release's
/// overhead). Thread-safe: libgit2's objects are read under a lock.
/// </summary>
public sealed class ContentSnapshot : IDisposable
{
    private readonly Repository _repository;
    private readonly Lock _lock = new();
    private Dictionary<string, bool>? _changed;

    private ContentSnapshot(Repository repository, string workdir)
    {
        _repository = repository;
        WorkingDirectory = workdir;
    }

    /// <summary>The repository's working directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Opens the repository holding <paramref name="path"/>.</summary>
    /// <exception cref="BadInputException">No repository holds it.</exception>
    public static ContentSnapshot Open(string path)
    {
        string workdir;
        try
        {
            // Not Repository.Discover: it returns null under Native AOT.
            workdir = GitRepositoryLocator.FindWorkingDirectory(path);
        }
        catch (BadInputException ex)
        {
            throw new BadInputException($"the build context {Path.GetFullPath(path)} is not inside a git repository; {{content}} hashes git's tracked files", ex);
        }

        try
        {
            return new ContentSnapshot(new Repository(workdir), Path.GetFullPath(workdir));
        }
        catch (LibGit2SharpException ex)
        {
            throw new ExternalFailureException($"cannot open the git repository at {workdir}: {ex.Message}", ex);
        }
    }

    /// <summary>The files of <paramref name="context"/> that <paramref name="ignore"/> keeps, path relative to the context → id (mode and blob, or the worktree content's hash).</summary>
    internal SortedDictionary<string, string> Files(string context, DockerIgnore ignore)
    {
        var prefix = Path.GetRelativePath(WorkingDirectory, context).Replace('\\', '/');
        prefix = prefix == "." ? "" : prefix.TrimEnd('/');
        if (prefix.StartsWith("..", StringComparison.Ordinal))
        {
            throw new BadInputException($"the build context {context} is outside the repository at {WorkingDirectory}");
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        lock (_lock)
        {
            var tip = _repository.Head.Tip
                ?? throw new BadInputException($"the git repository at {WorkingDirectory} has no commits yet; {{content}} hashes committed files");
            var contextTree = prefix.Length == 0 ? tip.Tree : tip[prefix]?.Target as Tree;
            if (contextTree is not null)
            {
                Walk(contextTree, "", files, ignore);
            }

            // What differs from HEAD, hashed from the working file (deleted: left out).
            foreach (var (path, exists) in Changed())
            {
                if (prefix.Length > 0 && !path.StartsWith(prefix + "/", StringComparison.Ordinal))
                {
                    continue;
                }

                var relative = prefix.Length == 0 ? path : path[(prefix.Length + 1)..];
                if (ignore.IsIgnored(relative))
                {
                    continue;
                }

                if (exists)
                {
                    files[relative] = "worktree " + ContentHasher.HashFile(Path.Combine(WorkingDirectory, path));
                }
                else
                {
                    files.Remove(relative);
                }
            }
        }

        return files;
    }

    /// <summary>True when <paramref name="path"/> is inside this repository's working directory.</summary>
    public bool Holds(string path) =>
        !Path.GetRelativePath(WorkingDirectory, Path.GetFullPath(path)).StartsWith("..", StringComparison.Ordinal);

    /// <inheritdoc />
    public void Dispose() => _repository.Dispose();

    /// <summary>Every path that differs from HEAD (staged, unstaged, untracked and not ignored), and whether the working file exists; read once.</summary>
    private Dictionary<string, bool> Changed()
    {
        if (_changed is null)
        {
            _changed = new Dictionary<string, bool>(StringComparer.Ordinal);
            var status = _repository.RetrieveStatus(new StatusOptions
            {
                IncludeUntracked = true,
                RecurseUntrackedDirs = true,
                IncludeIgnored = false,
                ExcludeSubmodules = true,
                DetectRenamesInIndex = false,
                DetectRenamesInWorkDir = false,
            });
            foreach (var entry in status)
            {
                if (entry.State is not FileStatus.Unaltered and not FileStatus.Ignored)
                {
                    var path = entry.FilePath.Replace('\\', '/');
                    _changed[path] = File.Exists(Path.Combine(WorkingDirectory, path));
                }
            }
        }

        return _changed;
    }

    private static void Walk(Tree tree, string path, SortedDictionary<string, string> files, DockerIgnore ignore)
    {
        foreach (var entry in tree)
        {
            var relative = path.Length == 0 ? entry.Name : $"{path}/{entry.Name}";
            if (entry.TargetType == TreeEntryTargetType.Tree)
            {
                Walk((Tree)entry.Target, relative, files, ignore);
            }
            else if (!ignore.IsIgnored(relative))
            {
                files[relative] = new StringBuilder(Convert.ToString((int)entry.Mode, 8)).Append(' ').Append(entry.Target.Sha).ToString();
            }
        }
    }
}
