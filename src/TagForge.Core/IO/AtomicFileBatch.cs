using System.Collections.Concurrent;

namespace TagForge.IO;

/// <summary>
/// Many atomic writes made durable together (a pin of thousands of files): each file is written to a temporary file
/// and renamed over its target at once, as <see cref="AtomicFile"/> does, but nothing is flushed per file; one
/// <see cref="Sync"/> at the end flushes every file system written to (Linux <c>syncfs</c>; elsewhere each file is
/// flushed as it is written). Each directory is listed once for stale temporary files, not once per file. Safe to
/// use from many threads at once.
/// </summary>
public sealed class AtomicFileBatch
{
    private readonly ConcurrentDictionary<string, Lazy<ILookup<string, string>>> _temporaries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _touched = new(StringComparer.Ordinal);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> (flushed by <see cref="Sync"/>); <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="Errors.BadInputException">The directory is missing, the file is read-only, or the write failed.</exception>
    public void WriteAllBytes(string path, ReadOnlySpan<byte> content, string name) => AtomicFile.Write(path, content, name, this);

    /// <summary>The directories written to so far.</summary>
    public IReadOnlyCollection<string> Directories => [.. _touched.Keys];

    /// <summary>
    /// Flushes every file and rename of this batch to disk: one <c>syncfs</c> per file system written to. Until it
    /// returns, a power cut may lose renames, and on a file system without rename ordering show an empty file.
    /// </summary>
    public void Sync()
    {
        var devices = new HashSet<(uint, uint)>();
        foreach (var directory in _touched.Keys.Order(StringComparer.Ordinal))
        {
            // A file system is synced once: the device is what they share (two directories of one volume, say).
            if (UnixFiles.DeviceOf(directory) is not { } device || devices.Add(device))
            {
                UnixFiles.SyncFileSystem(directory);
            }
        }
    }

    /// <summary>The temporary files of <paramref name="fileName"/> in <paramref name="directory"/>, from one listing of the directory per batch.</summary>
    internal IEnumerable<string> TemporariesOf(string directory, string fileName) =>
        _temporaries.GetOrAdd(directory, key => new Lazy<ILookup<string, string>>(() => AtomicFile.ListTemporaries(key)
            .Select(path => (Path: path, Owner: AtomicFile.OwnerOfTemporary(Path.GetFileName(path))))
            .Where(candidate => candidate.Owner is not null)
            .ToLookup(candidate => candidate.Owner!, candidate => candidate.Path, StringComparer.Ordinal))).Value[fileName];

    internal void Touched(string directory) => _touched.TryAdd(directory, 0);
}
