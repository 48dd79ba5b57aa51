using System.IO.Enumeration;
using TagForge.Errors;

namespace TagForge.Content;

/// <summary>
/// The entries of a build context exactly as a builder is sent them, from the file system (git's view plays no part:
/// a file git ignores is sent like any other), selected by the builder's own walk:
/// <list type="bullet">
/// <item><b>Classic</b> (the docker CLI's <c>archive.TarWithOptions</c>): each path is matched with its parent
/// directory's per-pattern results (<c>MatchesUsingParentResults</c>); a left-out directory is descended only when a
/// <c>!</c> pattern starts with it, and is not itself sent. The CLI re-includes an ignored <c>.dockerignore</c> and
/// Dockerfile, and the engine then deletes them from the context (their parent directories stay).</item>
/// <item><b>BuildKit</b> (docker 20.10's file sync): each path is matched with moby's single-parent
/// <c>Matches</c>; a left-out directory that a <c>!</c> pattern starts with is sent (empty, with its mode) and
/// descended.</item>
/// </list>
/// Links are sent as links, never followed; the context directory itself is resolved first, as the CLI does.
/// </summary>
public static class ContextWalker
{
    /// <summary>The entries sent for <paramref name="contextDirectory"/>, sorted by path (ordinal).</summary>
    /// <exception cref="BadInputException">The context is missing, unreadable, or its ignore file has a pattern the engine refuses.</exception>
    public static IReadOnlyList<ContextEntry> Walk(string contextDirectory, string? dockerfile, ContextRules rules)
    {
        var root = Resolve(contextDirectory);
        if (!Directory.Exists(root))
        {
            throw new BadInputException($"the build context {contextDirectory} is not a directory");
        }

        var ignore = DockerIgnore.For(root, dockerfile, rules);
        var entries = new List<ContextEntry>();
        if (rules == ContextRules.BuildKit)
        {
            WalkBuildKit(root, "", ignore, entries);
        }
        else
        {
            var relativeDockerfile = RelativeDockerfile(root, dockerfile);
            var cliIgnore = ignore;
            var extra = new List<string>();
            if (ignore.MatchesSingleParent(".dockerignore"))
            {
                extra.Add("!.dockerignore");
            }

            if (relativeDockerfile is not null && ignore.MatchesSingleParent(relativeDockerfile))
            {
                extra.Add("!" + relativeDockerfile);
            }

            if (extra.Count > 0)
            {
                cliIgnore = ignore.With(extra);
            }

            WalkClassic(root, "", null, cliIgnore, entries);
            if (relativeDockerfile is not null && File.Exists(Path.Combine(root, relativeDockerfile)) && !entries.Exists(e => e.Path == relativeDockerfile))
            {
                // The CLI re-includes an ignored Dockerfile with moby's single-parent matcher, which misses some
                // parents (**/dir): the engine then answers "Cannot locate specified Dockerfile".
                throw new BadInputException($"{ignore.Source} leaves out the Dockerfile {relativeDockerfile} so that the classic builder cannot send it (it fails with \"Cannot locate specified Dockerfile\"): ignore it by name, or move it out of the context");
            }

            // The engine deletes the Dockerfile and .dockerignore when its .dockerignore leaves them out.
            if (ignore.Patterns.Count > 0)
            {
                foreach (var removed in new[] { ".dockerignore", relativeDockerfile })
                {
                    if (removed is not null && ignore.MatchesSingleParent(removed))
                    {
                        entries.RemoveAll(e => e.Path == removed || e.Path.StartsWith(removed + "/", StringComparison.Ordinal));
                    }
                }
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <summary>The context directory with every symbolic link resolved (the CLI's <c>filepath.EvalSymlinks</c>).</summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var resolved = "/";
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            for (var hops = 0; hops < 40 && new FileInfo(next).LinkTarget is { } target; hops++)
            {
                next = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next) ?? "/", target));
                next = Resolve(next);
            }

            resolved = next;
        }

        return resolved;
    }

    /// <summary>The Dockerfile relative to the context (<c>/</c>-separated), or null when it is outside it.</summary>
    internal static string? RelativeDockerfile(string root, string? dockerfile)
    {
        var full = dockerfile is null ? Path.Combine(root, "Dockerfile") : Path.Combine(Resolve(Path.GetDirectoryName(Path.GetFullPath(dockerfile))!), Path.GetFileName(dockerfile));
        var relative = Path.GetRelativePath(root, full).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." ? null : relative;
    }

    private static void WalkClassic(string directory, string relative, bool[]? parentMatched, DockerIgnore ignore, List<ContextEntry> entries)
    {
        var subdirectories = new List<(ContextEntry Entry, bool[] Matched)>();
        var kept = new List<ContextEntry>();
        foreach (var entry in List(directory, relative))
        {
            var (skip, matched) = ignore.MatchesUsingParentResults(entry.Path, parentMatched);
            var isDirectory = entry.Kind == ContextEntryKind.Directory;
            if (skip)
            {
                if (isDirectory && ignore.HasExclusions && ExceptionStartsWith(ignore, entry.Path))
                {
                    subdirectories.Add((entry, matched));
                }

                continue;
            }

            kept.Add(entry);
            if (isDirectory)
            {
                subdirectories.Add((entry, matched));
            }
        }

        Add(entries, kept);
        Descend(subdirectories, sub => WalkClassic(sub.Entry.FullPath, sub.Entry.Path, sub.Matched, ignore, entries));
    }

    private static void WalkBuildKit(string directory, string relative, DockerIgnore ignore, List<ContextEntry> entries)
    {
        var kept = new List<ContextEntry>();
        foreach (var entry in List(directory, relative))
        {
            var isDirectory = entry.Kind == ContextEntryKind.Directory;
            if (ignore.MatchesSingleParent(entry.Path)
                && !(isDirectory && ignore.HasExclusions && ExceptionStartsWith(ignore, entry.Path)))
            {
                continue;
            }

            kept.Add(entry);
        }

        Add(entries, kept);
        Descend(kept.Where(e => e.Kind == ContextEntryKind.Directory).ToList(), sub => WalkBuildKit(sub.FullPath, sub.Path, ignore, entries));
    }

    private static void Add(List<ContextEntry> entries, List<ContextEntry> kept)
    {
        lock (entries)
        {
            entries.AddRange(kept);
        }
    }

    /// <summary>Walks the subdirectories on every core when there are several (the walk is one system call per entry); the order does not matter, the entries are sorted at the end.</summary>
    private static void Descend<T>(List<T> subdirectories, Action<T> walk)
    {
        if (subdirectories.Count < 2)
        {
            subdirectories.ForEach(walk);
            return;
        }

        try
        {
            Parallel.ForEach(subdirectories, walk);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.OfType<BadInputException>().FirstOrDefault() is { } first)
        {
            throw first;
        }
    }

    private static bool ExceptionStartsWith(DockerIgnore ignore, string directory) =>
        ignore.Patterns.Any(p => p.Exclusion && (p.Text + "/").StartsWith(directory + "/", StringComparison.Ordinal));

    private static List<ContextEntry> List(string directory, string relative)
    {
        try
        {
            var entries = new FileSystemEnumerable<ContextEntry>(
                directory,
                (ref FileSystemEntry entry) => ToEntry(ref entry, relative),
                new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false, ReturnSpecialDirectories = false })
                .ToList();
            entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            return entries;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the build context directory {directory}: {ex.Message} (the builder cannot either)", ex);
        }
    }

    private static ContextEntry ToEntry(ref FileSystemEntry entry, string relative)
    {
        var name = entry.FileName.ToString();
        var path = relative.Length == 0 ? name : relative + "/" + name;
        var info = entry.ToFileSystemInfo();
        var mode = (int)info.UnixFileMode;
        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            return new ContextEntry(path, ContextEntryKind.Symlink, 0b111_111_111, 0, info.LinkTarget ?? "", info.FullName, DateTime.MinValue);
        }

        return entry.IsDirectory
            ? new ContextEntry(path, ContextEntryKind.Directory, mode, 0, null, info.FullName, DateTime.MinValue)
            : new ContextEntry(path, ContextEntryKind.File, mode, entry.Length, null, info.FullName, entry.LastWriteTimeUtc.UtcDateTime);
    }
}
