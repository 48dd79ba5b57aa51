using System.Runtime.CompilerServices;
using System.IO.Enumeration;
using TagForge.Errors;
using TagForge.Git;

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
    /// <summary>From this many directories in one level on, they are listed on every core.</summary>
    private const int ParallelDirectories = 8;

    /// <summary>From this many entries in one level on, they are examined on every core.</summary>
    private const int ParallelStats = 256;

    /// <summary>The entries sent for <paramref name="contextDirectory"/>, sorted by path (ordinal).</summary>
    /// <exception cref="BadInputException">The context is missing, unreadable, or its ignore file has a pattern the engine refuses.</exception>
    public static IReadOnlyList<ContextEntry> Walk(string contextDirectory, string? dockerfile, ContextRules rules) =>
        Walk(contextDirectory, dockerfile, rules, known: null);

    /// <summary>
    /// As <see cref="Walk(string, string?, ContextRules)"/>, taking each entry <paramref name="known"/> (another walk of
    /// the same context in this process) already examined as it found it instead of examining it again: the second
    /// builder's walk costs its directory listings, not a stat per entry.
    /// </summary>
    internal static IReadOnlyList<ContextEntry> Walk(string contextDirectory, string? dockerfile, ContextRules rules, IReadOnlyList<ContextEntry>? known)
    {
        var root = Resolve(contextDirectory);
        if (!Directory.Exists(root))
        {
            throw new BadInputException($"the build context {contextDirectory} is not a directory");
        }

        var ignore = DockerIgnore.For(root, dockerfile, rules);
        var entries = new List<ContextEntry>();
        var seen = known?.ToDictionary(entry => entry.FullPath, StringComparer.Ordinal);
        if (rules == ContextRules.BuildKit)
        {
            WalkLevels(root, ignore, classic: false, entries, seen);
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

            WalkLevels(root, cliIgnore, classic: true, entries, seen);
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
    /// <exception cref="BadInputException">The links loop (more than 255 of them, Go's limit).</exception>
    public static string Resolve(string path)
    {
        var hops = 0;
        return Resolve(path, ref hops);
    }

    private static string Resolve(string path, ref int hops)
    {
        var full = Path.GetFullPath(path);
        var resolved = "/";
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            while (new FileInfo(next).LinkTarget is { } target)
            {
                if (++hops > 255)
                {
                    throw new BadInputException($"cannot resolve {path}: too many levels of symbolic links");
                }

                next = Resolve(Path.Combine(Path.GetDirectoryName(next) ?? "/", target), ref hops);
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

    /// <summary>
    /// Both builders' walks, one directory level at a time: list each directory (no stat: the names and the patterns
    /// decide most of it), then stat what is kept, on every core, one <c>statx</c> per entry (the whole cost of a
    /// walk whose files git's stat cache vouches for), then descend. The order of discovery does not matter: the
    /// entries are sorted at the end. The hot methods are compiled optimized at once: a process walks a context a few
    /// times, too few for the tiered JIT to promote them (the CLI is Native AOT; this is for build scripts that JIT).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WalkLevels(string root, DockerIgnore ignore, bool classic, List<ContextEntry> entries, Dictionary<string, ContextEntry>? seen)
    {
        var level = new List<PendingDirectory>([new PendingDirectory(root, "", null)]);
        while (level.Count > 0)
        {
            var listed = new List<Candidate>[level.Count];
            Run(level.Count, level.Count >= ParallelDirectories, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (i) => listed[i] = List(level[i], ignore, classic));
            var candidates = listed.SelectMany(list => list).ToArray();
            var stats = new FileStat[candidates.Length];
            var found = new ContextEntry?[candidates.Length];
            if (seen is not null)
            {
                for (var i = 0; i < candidates.Length; i++)
                {
                    if (seen.TryGetValue(candidates[i].FullPath, out var entry))
                    {
                        (found[i], stats[i]) = (entry, entry.Stat);
                    }
                }
            }

            Run(candidates.Length, candidates.Length >= ParallelStats, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (i) =>
            {
                if (found[i] is null)
                {
                    stats[i] = Stat(candidates[i].FullPath);
                }
            });

            var next = new List<PendingDirectory>();
            for (var i = 0; i < candidates.Length; i++)
            {
                var (fullPath, path, ignored, matched) = candidates[i];
                var stat = stats[i];
                if (ignored && !stat.IsDirectory)
                {
                    continue; // left out; only a directory that a ! pattern starts with is descended
                }

                if (stat.IsDirectory)
                {
                    next.Add(new PendingDirectory(fullPath, path, matched));
                }

                if (!(ignored && classic))
                {
                    entries.Add(found[i] is { } entry && entry.Path == path ? entry : ToEntry(fullPath, path, stat));
                }
            }

            level = next;
        }
    }

    /// <summary>The entries of one directory that the patterns keep, or leave out but may have to descend.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<Candidate> List(PendingDirectory directory, DockerIgnore ignore, bool classic)
    {
        List<string> names;
        try
        {
            names = new FileSystemEnumerable<string>(
                directory.FullPath,
                (ref FileSystemEntry entry) => entry.FileName.ToString(),
                new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false, ReturnSpecialDirectories = false })
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the build context directory {directory.FullPath}: {ex.Message} (the builder cannot either)", ex);
        }

        var candidates = new List<Candidate>(names.Count);
        var fullPrefix = directory.FullPath.EndsWith('/') ? directory.FullPath : directory.FullPath + "/";
        foreach (var name in names)
        {
            var path = directory.Path.Length == 0 ? name : directory.Path + "/" + name;
            bool ignored;
            bool[]? matched = null;
            if (classic)
            {
                (ignored, matched) = ignore.MatchesUsingParentResults(path, directory.Matched);
            }
            else
            {
                ignored = ignore.MatchesSingleParent(path);
            }

            if (!ignored || (ignore.HasExclusions && ExceptionStartsWith(ignore, path)))
            {
                candidates.Add(new Candidate(fullPrefix + name, path, ignored, matched));
            }
        }

        return candidates;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FileStat Stat(string fullPath)
    {
        try
        {
            return FileStat.TryGet(fullPath, out var stat)
                ? stat
                : throw new BadInputException($"cannot read {fullPath} in the build context: it vanished while TagForge read the context, or its name is not UTF-8");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read {fullPath} in the build context: {ex.Message} (the builder cannot send it either)", ex);
        }
    }

    /// <summary>Runs <paramref name="work"/> for 0..count-1, on every core when <paramref name="parallel"/>; the first bad input wins.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(int count, bool parallel, Action<int> work)
    {
        if (!parallel)
        {
            for (var i = 0; i < count; i++)
            {
                work(i);
            }

            return;
        }

        try
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, count, Math.Max(count / (Environment.ProcessorCount * 4), 16)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (range) =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    work(i);
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.OfType<BadInputException>().FirstOrDefault() is { } first)
        {
            throw first;
        }
    }

    private static bool ExceptionStartsWith(DockerIgnore ignore, string directory) =>
        ignore.Patterns.Any(p => p.Exclusion && (p.Text + "/").StartsWith(directory + "/", StringComparison.Ordinal));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ContextEntry ToEntry(string fullPath, string path, in FileStat stat)
    {
        if (stat.IsSymbolicLink)
        {
            return new ContextEntry(path, ContextEntryKind.Symlink, 0b111_111_111, 0, new FileInfo(fullPath).LinkTarget ?? "", fullPath, DateTime.MinValue) { Stat = stat };
        }

        return stat.IsDirectory
            ? new ContextEntry(path, ContextEntryKind.Directory, stat.PermissionBits, 0, null, fullPath, DateTime.MinValue) { Stat = stat }
            : new ContextEntry(path, stat.IsRegularFile ? ContextEntryKind.File : ContextEntryKind.Special, stat.PermissionBits, stat.Size, null, fullPath, stat.LastWriteUtc) { Stat = stat };
    }

    /// <summary>A directory to list: where it is, its path in the context, and (classic) each pattern's verdict for it.</summary>
    private sealed record PendingDirectory(string FullPath, string Path, bool[]? Matched);

    /// <summary>An entry the patterns did not drop outright; <c>Ignored</c> ones are kept only as directories to descend.</summary>
    private readonly record struct Candidate(string FullPath, string Path, bool Ignored, bool[]? Matched);
}
