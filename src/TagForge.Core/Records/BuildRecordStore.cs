using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Records;

/// <summary>
/// Merges entries into a build record on disk so that concurrent writers (a CI matrix releasing several images into
/// one record) never lose an entry: each merge takes an exclusive lock on <c>.RECORD.lock</c> beside the record,
/// reads the current record, replaces the entry for the same repository, and writes the result with
/// <see cref="AtomicFile"/>. A corrupt, newer-schema or read-only record is refused (exit 2) and never overwritten.
/// </summary>
public static class BuildRecordStore
{
    // Another writer holds the lock: a merge takes milliseconds, so wait briefly and often, up to ~30 s.
    private const int LockAttempts = 600;
    private static readonly TimeSpan LockWait = TimeSpan.FromMilliseconds(50);

    /// <summary>The lock file used for <paramref name="recordPath"/>.</summary>
    public static string LockPathFor(string recordPath)
    {
        var full = Path.GetFullPath(recordPath);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.lock");
    }

    /// <summary>Adds <paramref name="image"/> to the record at <paramref name="path"/> (created when missing) and returns the merged record.</summary>
    /// <exception cref="BadInputException">The record is corrupt, newer, read-only, or its directory cannot be written.</exception>
    public static async Task<BuildRecord> MergeAsync(string path, ImageRecord image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(image);
        RefuseReadOnly(path);
        using var lockFile = await LockAsync(LockPathFor(path), cancellationToken).ConfigureAwait(false);
        var merged = BuildRecordFile.ReadOrEmpty(path).With(image);
        AtomicFile.WriteAllText(path, BuildRecordFile.Serialize(merged));
        return merged;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the record at <paramref name="path"/> (empty when missing) under the same
    /// lock as <see cref="MergeAsync"/>, and writes the result atomically: for merges of several entries and promotions.
    /// A change that throws leaves the file as it was.
    /// </summary>
    public static async Task<BuildRecord> UpdateAsync(string path, Func<BuildRecord, BuildRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(change);
        RefuseReadOnly(path);
        using var lockFile = await LockAsync(LockPathFor(path), cancellationToken).ConfigureAwait(false);
        var updated = change(BuildRecordFile.ReadOrEmpty(path));
        AtomicFile.WriteAllText(path, BuildRecordFile.Serialize(updated));
        return updated;
    }

    /// <summary>
    /// Fails now, before anything is built or pushed, if a merge into <paramref name="path"/> would fail: the record
    /// is corrupt, newer, read-only, or its directory does not exist. Returns the record as it is now (empty when
    /// there is none), so a caller that needs it does not read it twice.
    /// </summary>
    public static BuildRecord CheckWritable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        RefuseReadOnly(path);
        var record = BuildRecordFile.ReadOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new BadInputException($"cannot write the build record {path}: the directory {directory} does not exist");
        }

        return record;
    }

    private static void RefuseReadOnly(string path) =>
        AtomicFile.RefuseReadOnly(path, $"the build record {path} is read-only; make it writable or pass --record with another file");

    /// <summary>Takes the lock, waiting for another writer (jittered, so that waiting writers do not retry in step).</summary>
    private static async Task<FileStream> LockAsync(string lockPath, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return TryLock(lockPath);
            }
            catch (LockHeldException) when (attempt < LockAttempts)
            {
                await Task.Delay(LockWait * (0.5 + Random.Shared.NextDouble()), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static FileStream TryLock(string lockPath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (File.Exists(lockPath) && ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new LockHeldException(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot create the lock file {lockPath} for the build record: {ex.Message}", ex);
        }
    }

    private sealed class LockHeldException(Exception inner) : IOException("the build record is locked by another writer", inner);
}
