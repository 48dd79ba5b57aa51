namespace TagForge.IO;

/// <summary>
/// Makes runs that rewrite the same tree of files wait for each other (eight <c>pin</c>s of one directory at once
/// each read and write it whole, one after the other, instead of reading what another is halfway through). It
/// locks directories with <c>flock</c>, as a hierarchy: exclusive on the tree's root, shared on each of its
/// ancestors. Two runs on the same root, or one on a root inside the other's, conflict and the second waits; runs on
/// separate trees only share their common ancestors and go on together. Locks are taken top-down, so waits never
/// form a cycle, and the kernel drops them when the process ends, killed or not. Linux only; elsewhere, and for a
/// directory that cannot be opened (no read permission), it locks nothing.
/// </summary>
public sealed class TreeLock : IDisposable
{
    private readonly List<int> _descriptors;

    private TreeLock(List<int> descriptors) => _descriptors = descriptors;

    /// <summary>Waits for and takes the lock of the tree at <paramref name="root"/> (a directory).</summary>
    public static TreeLock Acquire(string root) => Take(root, wait: true)!;

    /// <summary>Takes the lock of the tree at <paramref name="root"/> if no one holds a conflicting one, else null (and holds nothing).</summary>
    public static TreeLock? TryAcquire(string root) => Take(root, wait: false);

    private static TreeLock? Take(string root, bool wait)
    {
        ArgumentNullException.ThrowIfNull(root);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var ancestors = new List<string>();
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            ancestors.Add(parent);
        }

        ancestors.Reverse();
        var taken = new TreeLock([]);
        foreach (var (directory, exclusive) in ancestors.Select(ancestor => (ancestor, false)).Append((full, true)))
        {
            var descriptor = UnixFiles.LockDirectory(directory, exclusive, wait, out var busy);
            if (busy)
            {
                taken.Dispose();
                return null;
            }

            taken._descriptors.Add(descriptor);
        }

        return taken;
    }

    /// <summary>The deepest directory holding every one of <paramref name="files"/> (full paths), or null for none.</summary>
    public static string? RootOf(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        string? root = null;
        foreach (var directory in files.Select(Path.GetDirectoryName).OfType<string>())
        {
            root = root is null ? directory : CommonDirectory(root, directory);
        }

        return root;
    }

    public void Dispose()
    {
        // Deepest first: the reverse of the order they were taken in.
        for (var i = _descriptors.Count - 1; i >= 0; i--)
        {
            UnixFiles.Unlock(_descriptors[i]);
        }

        _descriptors.Clear();
    }

    private static string CommonDirectory(string a, string b)
    {
        while (!IsWithin(b, a) && Path.GetDirectoryName(a) is { } parent)
        {
            a = parent;
        }

        return a;
    }

    private static bool IsWithin(string path, string directory) =>
        path == directory
        || path.StartsWith(directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
