using System.Text;
using TagForge.Errors;

namespace TagForge.IO;

/// <summary>
/// Writes files so that readers see the old content or the new, never half of either, and so that the file stays
/// what it was apart from its content (what <c>sed -i</c> gets wrong): the text goes to a temporary file in the same
/// directory (same file system, so the rename is atomic), which takes the old file's mode and, where the process may,
/// its owner and group, is closed and replaces the target. A single write flushes the file before the rename and the
/// directory after it; the writes of an <see cref="AtomicFileBatch"/> (thousands of pinned files) are flushed together
/// by one sync of each file system at the end instead (docs/reliability.md says what each promises on a power cut). A
/// symbolic link is followed: its final target is rewritten and the link stays a link. A file the user could not
/// write is refused, never replaced (a rename only needs a writable directory). Temporary files a killed TagForge
/// left beside the file are removed once no writer holds them. Every file TagForge writes goes through here.
/// </summary>
public static class AtomicFile
{
    /// <summary>How old an unheld temporary file must be before it counts as left behind (a writer needs milliseconds).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> (UTF-8, no BOM).</summary>
    public static void WriteAllText(string path, string content) => WriteAllBytes(path, Utf8NoBom.GetBytes(content));

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content) => WriteAllBytes(path, content, path);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>; <paramref name="name"/> (the path as the user gave it) names it in messages.</summary>
    /// <exception cref="BadInputException">The directory is missing, the file is read-only, or the write failed.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, string name) => Write(path, content, name, batch: null);

    /// <summary>The one write: alone (<paramref name="batch"/> null: flushed now) or as part of <paramref name="batch"/> (flushed by its <see cref="AtomicFileBatch.Sync"/>).</summary>
    internal static void Write(string path, ReadOnlySpan<byte> content, string name, AtomicFileBatch? batch)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(name);
        if (batch is not null && batch.TryWriteRegularFile(Path.GetFullPath(path), content, name))
        {
            return;
        }

        string target;
        try
        {
            target = FinalTarget(Path.GetFullPath(path));
        }
        catch (IOException ex)
        {
            // A loop of symbolic links, or one too many levels of them.
            throw new BadInputException($"cannot write {name}: {ex.Message}", ex);
        }

        var directory = Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(directory))
        {
            // Said plainly: the write error would name the temporary file, which the user never asked for.
            throw new BadInputException($"cannot write {name}: the directory {directory} does not exist");
        }

        var existing = File.Exists(target);
        if (existing)
        {
            RefuseReadOnly(target, $"cannot write {name}: it is read-only; make it writable first");
        }

        var fileName = Path.GetFileName(target);
        foreach (var candidate in batch is null ? TemporariesOf(directory, fileName) : batch.TemporariesOf(directory, fileName))
        {
            RemoveIfStale(candidate);
        }

        var temporary = Path.Combine(directory, TemporaryName(fileName));
        var renamed = false;
        try
        {
            using (var stream = OpenTemporary(temporary, existing))
            {
                stream.Write(content);
                if (existing && !OperatingSystem.IsWindows())
                {
                    KeepOwnerAndMode(target, stream);
                }

                // In a batch on Linux one syncfs at the end flushes every file at once; elsewhere each file now.
                stream.Flush(flushToDisk: batch is null || !OperatingSystem.IsLinux());
            }

            // Closed before the rename: .NET locks a file it opens (flock), and a handle kept open across the rename
            // would hold that lock on the new file, failing a concurrent reader ("being used by another process").
            File.Move(temporary, target, overwrite: true);
            renamed = true;
            if (batch is null)
            {
                UnixFiles.SyncDirectory(directory);
            }
            else
            {
                batch.Touched(directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot write {name}: {ex.Message}", ex);
        }
        finally
        {
            if (!renamed)
            {
                // Only left behind when the write or the rename failed.
                TryDelete(temporary);
            }
        }
    }

    /// <summary>
    /// Throws <see cref="BadInputException"/> with <paramref name="message"/> when <paramref name="path"/> exists and
    /// its user could not write it: no write bit at all (which root would otherwise ignore), or, for anyone else,
    /// a file the process may not open for writing. Replacing a file by rename needs only a writable directory, so
    /// without this a read-only file would be replaced silently.
    /// </summary>
    public static void RefuseReadOnly(string path, string message)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return;
        }

        bool readOnly;
        if (OperatingSystem.IsWindows())
        {
            readOnly = File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly);
        }
        else
        {
            readOnly = (File.GetUnixFileMode(path) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0
                || !MayOpenForWriting(path);
        }

        if (readOnly)
        {
            throw new BadInputException(message);
        }
    }

    /// <summary>The file a chain of symbolic links ends at (<paramref name="fullPath"/> itself when it is no link).</summary>
    private static string FinalTarget(string fullPath)
    {
        var file = new FileInfo(fullPath);
        return file.LinkTarget is null ? fullPath : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? fullPath;
    }

    private static FileStream OpenTemporary(string temporary, bool replacesExisting)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (replacesExisting && !OperatingSystem.IsWindows())
        {
            // Owner-only until it has the old file's owner and mode: a 0600 file's new content is never readable by
            // others, not even for the moment before the mode is set. A new file gets the umask's default.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(temporary, options);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void KeepOwnerAndMode(string target, FileStream stream)
    {
        var mode = File.GetUnixFileMode(target);
        if (OperatingSystem.IsLinux()
            && !LinuxFiles.KeepAccessAcl(target, (int)stream.SafeFileHandle.DangerousGetHandle(), LinuxFiles.HasDefaultAcl(Path.GetDirectoryName(target) ?? ".")))
        {
            // Before the owner changes: only the file's owner (or root) may set its ACL.
            throw new IOException($"cannot keep the ACL of {target} ({LinuxFiles.LastError})");
        }

        if (UnixFiles.OwnerOf(target) is var (user, group))
        {
            // Root may always; an ordinary user keeps at least the group where they belong to it, else the file
            // becomes theirs, as with any editor that saves by rename.
            _ = UnixFiles.TrySetOwner(stream.SafeFileHandle, user, group);
        }

        // After the owner: a change of owner clears the set-user-ID and set-group-ID bits.
        File.SetUnixFileMode(stream.SafeFileHandle, mode);
    }

    private static bool MayOpenForWriting(string path)
    {
        try
        {
            // Opening for writing without truncating changes nothing; it is the kernel's own answer to "may I".
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            // Busy, locked or gone: not a question of permission; the write itself will say what is wrong.
            return true;
        }
    }

    /// <summary>The <c>.NAME.GUID.tmp</c> files of <paramref name="fileName"/> in <paramref name="directory"/> (one listing of it).</summary>
    private static List<string> TemporariesOf(string directory, string fileName) =>
        [.. ListTemporaries(directory).Where(candidate => IsTemporaryOf(Path.GetFileName(candidate), fileName))];

    /// <summary>Every <c>.*.tmp</c> file of <paramref name="directory"/>, or none when it cannot be listed.</summary>
    internal static List<string> ListTemporaries(string directory)
    {
        try
        {
            return [.. Directory.EnumerateFiles(directory, ".*.tmp")];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// Deletes a temporary file a killed TagForge left: only one older than <see cref="StaleAfter"/> and held by no
    /// one. A live writer holds its temporary file open with <see cref="FileShare.None"/> (an exclusive <c>flock</c>
    /// on Unix) while it writes, so the probe below cannot open it; the age rule covers the instants between its
    /// creation and its lock, and between its close and its rename.
    /// </summary>
    internal static void RemoveIfStale(string candidate)
    {
        try
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(candidate) < StaleAfter)
            {
                return;
            }

            using var probe = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.None);
            File.Delete(candidate);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Held by a live writer, already gone, or not ours to delete: leave it.
        }
    }

    /// <summary>A new name for a temporary file of <paramref name="fileName"/>: <c>.NAME.GUID.tmp</c>, beside it.</summary>
    /// <remarks>
    /// The 128 random bits come from <see cref="Random.Shared"/> (seeded from the system once per process), not
    /// <see cref="Guid.NewGuid"/>, which reads the kernel's random source for every name; the file is created
    /// exclusively, so even a collision could not overwrite anything.
    /// </remarks>
    internal static string TemporaryName(string fileName)
    {
        Span<byte> random = stackalloc byte[16];
        Random.Shared.NextBytes(random);
        return $".{fileName}.{Convert.ToHexStringLower(random)}.tmp";
    }

    /// <summary>The file name a temporary file <paramref name="candidate"/> (a file name) belongs to, or null when it is none of TagForge's.</summary>
    internal static string? OwnerOfTemporary(string candidate)
    {
        const int Suffix = 1 + 32 + 4;
        if (candidate.Length <= 1 + Suffix)
        {
            return null;
        }

        var fileName = candidate[1..^Suffix];
        return IsTemporaryOf(candidate, fileName) ? fileName : null;
    }

    /// <summary>True for <c>.{fileName}.{32 hex digits}.tmp</c>, exactly the names <see cref="WriteAllBytes(string, ReadOnlySpan{byte}, string)"/> creates.</summary>
    internal static bool IsTemporaryOf(string candidate, string fileName)
    {
        const int GuidLength = 32;
        var expectedLength = 1 + fileName.Length + 1 + GuidLength + ".tmp".Length;
        if (candidate.Length != expectedLength
            || candidate[0] != '.'
            || !candidate.AsSpan(1, fileName.Length).SequenceEqual(fileName)
            || candidate[1 + fileName.Length] != '.'
            || !candidate.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in candidate.AsSpan(fileName.Length + 2, GuidLength))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing was written there, or the directory refuses us: either way there is nothing to clean.
        }
    }
}
