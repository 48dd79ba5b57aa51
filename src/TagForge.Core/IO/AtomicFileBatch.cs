using System.Collections.Concurrent;
using TagForge.Errors;

namespace TagForge.IO;

/// <summary>
/// Many atomic writes made durable together (a pin of thousands of files): each file is written to a temporary file
/// and renamed over its target at once, as <see cref="AtomicFile"/> does, but nothing is flushed per file; one
/// <see cref="Sync"/> at the end flushes every file system written to (Linux <c>syncfs</c>; elsewhere each file is
/// flushed as it is written). Each directory is listed once for stale temporary files, not once per file. On Linux
/// a regular file the process owns (or any, as root) is written in six system calls (statx, open, flock, write,
/// close, rename), plus fchown and fchmod only when the new file would not already have the old one's owner, group
/// and mode: that per-file work, not the pinning, was most of a large pin's time. Safe to use from many threads at once.
/// </summary>
public sealed class AtomicFileBatch
{
    private readonly ConcurrentDictionary<string, Lazy<ILookup<string, string>>> _temporaries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _touched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NewFiles?> _newFiles = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Replaces the regular file <paramref name="fullPath"/> through <see cref="LinuxFiles"/>. False when this does
    /// not apply (not Linux; a link, a missing file or another user's file, which the general path handles) or
    /// failed before anything changed (the temporary file could not be created): the caller then takes the general
    /// path of <see cref="AtomicFile"/>, which reports what is wrong.
    /// </summary>
    /// <exception cref="BadInputException">The file is read-only, or the write or rename failed.</exception>
    internal bool TryWriteRegularFile(string fullPath, ReadOnlySpan<byte> content, string name)
    {
        if (LinuxFiles.EffectiveIds is not var (user, _) || LinuxFiles.StatNoFollow(fullPath) is not { IsRegularFile: true } old)
        {
            return false;
        }

        if ((old.Mode & 0b010_010_010) == 0)
        {
            throw new BadInputException($"cannot write {name}: it is read-only; make it writable first");
        }

        // Root may write any file with a write bit, an owner one with the owner's; anyone else's the general path
        // asks the kernel about (AtomicFile.RefuseReadOnly).
        var directory = Path.GetDirectoryName(fullPath);
        if (directory is null || (user != 0 && (old.User != user || (old.Mode & 0b010_000_000) == 0))
            || _newFiles.GetOrAdd(directory, NewFiles.Of) is not { } newFiles)
        {
            return false;
        }

        var fileName = Path.GetFileName(fullPath);
        foreach (var candidate in TemporariesOf(directory, fileName))
        {
            AtomicFile.RemoveIfStale(candidate);
        }

        // With the old owner and group already, the temporary file can have the old mode from the start: it is never
        // more readable than the old file. Else it is owner-only until it has the old owner, group and mode.
        var sameOwner = old.User == user && old.Group == newFiles.Group;
        var createMode = sameOwner ? old.Permissions & 0x1FF : 0b110_000_000u;
        var modeNeeded = !sameOwner || old.Permissions != createMode || newFiles.Umask is not { } umask || (createMode & umask) != 0;
        var temporary = Path.Combine(directory, AtomicFile.TemporaryName(fileName));
        var descriptor = LinuxFiles.CreateExclusive(temporary, createMode);
        if (descriptor < 0)
        {
            return false;
        }

        var renamed = false;
        try
        {
            string? error = null;
            try
            {
                if (!LinuxFiles.WriteAll(descriptor, content))
                {
                    error = LinuxFiles.LastError;
                }
                else if (!LinuxFiles.KeepAccessAcl(fullPath, descriptor, newFiles.DefaultAcl))
                {
                    // Before the owner changes: only the file's owner (or root) may set its ACL.
                    error = $"cannot keep its ACL ({LinuxFiles.LastError})";
                }
                else if (!sameOwner)
                {
                    _ = LinuxFiles.SetOwner(descriptor, old.User, old.Group);
                }

                // After the owner: a change of owner clears the set-user-ID and set-group-ID bits.
                if (error is null && modeNeeded && !LinuxFiles.SetMode(descriptor, old.Permissions))
                {
                    error = LinuxFiles.LastError;
                }
            }
            finally
            {
                if (!LinuxFiles.Close(descriptor))
                {
                    error ??= LinuxFiles.LastError;
                }
            }

            if (error is null && !LinuxFiles.Rename(temporary, fullPath))
            {
                error = LinuxFiles.LastError;
            }

            if (error is not null)
            {
                throw new BadInputException($"cannot write {name}: {error}");
            }

            renamed = true;
            Touched(directory);
            return true;
        }
        finally
        {
            if (!renamed)
            {
                LinuxFiles.Unlink(temporary);
            }
        }
    }

    /// <summary>
    /// What a file created in a directory gets: its group (the directory's when it is set-group-ID, else the
    /// process's) and the umask, or none when a default ACL decides the mode instead (then the mode is always set,
    /// and the ACL a new file inherits is taken off again when the old file had none).
    /// </summary>
    private sealed record NewFiles(uint Group, uint? Umask, bool DefaultAcl)
    {
        public static NewFiles? Of(string directory)
        {
            if (LinuxFiles.StatNoFollow(directory) is not { IsDirectory: true } status || LinuxFiles.EffectiveIds is not var (_, group))
            {
                return null;
            }

            var defaultAcl = LinuxFiles.HasDefaultAcl(directory);
            return new NewFiles((status.Mode & 0x400) != 0 ? status.Group : group, defaultAcl ? null : LinuxFiles.Umask, defaultAcl);
        }
    }
}
