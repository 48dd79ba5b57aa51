using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using TagForge.Errors;
using TagForge.Git;

namespace TagForge.Content;

/// <summary>
/// The <c>{content}</c> hash of an image: SHA-256 over exactly what goes into it, so the same inputs give the same
/// hash on every machine and in every checkout (git's blob ids, never mtimes or absolute paths):
/// <list type="bullet">
/// <item>every file of HEAD's tree under the context that <c>.dockerignore</c> keeps: its path relative to the
/// context, its git mode and its blob id (a submodule: its commit);</item>
/// <item>uncommitted changes: a tracked file that differs from HEAD (staged or not), and an untracked file git
/// does not ignore, are hashed from the working file's content, and a deleted one is left out, so a dirty context
/// never reuses a clean hash (files git ignores are not hashed: ignore them in <c>.dockerignore</c> too);</item>
/// <item>the Dockerfile's content (wherever it is), the build arguments in order, the target, the platform, and
/// the digests of the base images built in the same release.</item>
/// </list>
/// </summary>
public static class ContentHasher
{
    /// <summary>Bumped whenever what is hashed changes, so old and new hashes never collide.</summary>
    private const string Version = "tagforge-content-v1";

    /// <summary>The hash of <paramref name="input"/>: 64 lowercase hex digits.</summary>
    /// <exception cref="BadInputException">The context is not inside a git repository, or has no commit.</exception>
    public static string Compute(ContentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = Path.GetFullPath(input.ContextPath);
        using var repository = Open(context);
        var workdir = Path.GetFullPath(repository.Info.WorkingDirectory);
        var prefix = Relative(workdir, context);
        var ignore = DockerIgnore.ForContext(context);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);

        var tree = repository.Head.Tip?.Tree
            ?? throw new BadInputException($"the git repository at {workdir} has no commits yet; {{content}} hashes committed files");
        var contextTree = prefix.Length == 0 ? tree : (repository.Head.Tip[prefix]?.Target as Tree);
        if (contextTree is not null)
        {
            Walk(contextTree, "", files, ignore);
        }

        // What differs from HEAD under the context, hashed from the working file.
        var status = repository.RetrieveStatus(new StatusOptions
        {
            PathSpec = prefix.Length == 0 ? null : [prefix + "/"],
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            IncludeIgnored = false,
            ExcludeSubmodules = true,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
        });
        foreach (var entry in status)
        {
            if (entry.State is FileStatus.Unaltered or FileStatus.Ignored)
            {
                continue;
            }

            var path = entry.FilePath.Replace('\\', '/');
            if (prefix.Length > 0 && !path.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var relative = prefix.Length == 0 ? path : path[(prefix.Length + 1)..];
            if (ignore.IsIgnored(relative))
            {
                continue;
            }

            var full = Path.Combine(workdir, path);
            if (File.Exists(full))
            {
                files[relative] = "worktree " + HashFile(full);
            }
            else
            {
                files.Remove(relative);
            }
        }

        var text = new StringBuilder(Version).Append('\n');
        foreach (var (path, id) in files)
        {
            text.Append("file ").Append(path).Append('\t').Append(id).Append('\n');
        }

        var dockerfile = input.Dockerfile ?? Path.Combine(context, "Dockerfile");
        text.Append("dockerfile ").Append(File.Exists(dockerfile) ? HashFile(dockerfile) : "missing").Append('\n');
        foreach (var arg in input.BuildArgs)
        {
            text.Append("build-arg ").Append(arg.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }

        text.Append("target ").Append(input.Target).Append('\n');
        text.Append("platform ").Append(input.Platform).Append('\n');
        foreach (var (name, digest) in input.BaseDigests.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append("base ").Append(name).Append('=').Append(digest).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Walk(Tree tree, string path, SortedDictionary<string, string> files, DockerIgnore ignore)
    {
        foreach (var entry in tree)
        {
            var relative = path.Length == 0 ? entry.Name : $"{path}/{entry.Name}";
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    Walk((Tree)entry.Target, relative, files, ignore);
                    break;
                default:
                    if (!ignore.IsIgnored(relative))
                    {
                        files[relative] = $"{Convert.ToString((int)entry.Mode, 8)} {entry.Target.Sha}";
                    }

                    break;
            }
        }
    }

    private static Repository Open(string context)
    {
        string workdir;
        try
        {
            // Not Repository.Discover: it returns null under Native AOT.
            workdir = GitRepositoryLocator.FindWorkingDirectory(context);
        }
        catch (BadInputException ex)
        {
            throw new BadInputException($"the build context {context} is not inside a git repository; {{content}} hashes git's tracked files", ex);
        }

        try
        {
            return new Repository(workdir);
        }
        catch (LibGit2SharpException ex)
        {
            throw new ExternalFailureException($"cannot open the git repository of {context}: {ex.Message}", ex);
        }
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Relative(string workdir, string path)
    {
        var relative = Path.GetRelativePath(workdir, path).Replace('\\', '/');
        return relative == "." ? "" : relative.TrimEnd('/');
    }
}
