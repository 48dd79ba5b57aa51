using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TagForge.IO;

/// <summary>
/// What <see cref="AtomicFile"/>, <see cref="AtomicFileBatch"/> and <see cref="TreeLock"/> need that .NET has no API
/// for: a file's owner and device (<c>statx</c>), giving a file an owner (<c>fchown</c>), flushing a directory entry
/// (<c>fsync</c> on the directory) or a whole file system (<c>syncfs</c>), and locking a directory (<c>flock</c>, which
/// .NET will not open a directory for). Linux only, through
/// source-generated <see cref="LibraryImportAttribute"/> (no runtime marshalling, so Native AOT and trimming keep
/// working); elsewhere, or where libc lacks a call (glibc before 2.28, musl), each answers "could not" and the
/// caller carries on without it.
/// </summary>
internal static partial class UnixFiles
{
    // glibc's shared object ("libc" alone finds glibc's linker script libc.so and fails to load it). On musl this
    // library is missing, every call answers "could not", and only owner preservation and directory sync are lost.
    private const string Libc = "libc.so.6";
    private const int AtCurrentDirectory = -100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const int OpenCloseOnExec = 0x80000;
    private const int OpenDirectoryOnly = 0x10000;
    private const int LockShared = 1;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int Interrupted = 4;
    private const int WouldBlock = 11;

    /// <summary>The owner and group of <paramref name="path"/> (symbolic links followed), or null when unknown.</summary>
    public static (uint User, uint Group)? OwnerOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx has one layout on every Linux architecture (that is why it exists): mask at 0, uid at 20,
        // gid at 24, 256 bytes in all.
        var buffer = new byte[256];
        try
        {
            if (statx(AtCurrentDirectory, path, 0, StatxUid | StatxGid, buffer) != 0
                || (BitConverter.ToUInt32(buffer, 0) & (StatxUid | StatxGid)) != (StatxUid | StatxGid))
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        return (BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24));
    }

    /// <summary>
    /// Gives the open file <paramref name="file"/> the owner <paramref name="user"/> and group <paramref name="group"/>,
    /// or at least the group (an ordinary user may hand a file to a group they belong to); false when neither was allowed.
    /// </summary>
    public static bool TrySetOwner(SafeFileHandle file, uint user, uint group)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var descriptor = (int)file.DangerousGetHandle();
            return fchown(descriptor, user, group) == 0 || fchown(descriptor, uint.MaxValue, group) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk, so a rename in it survives a power cut; best effort.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            var descriptor = open(directory, OpenCloseOnExec);
            if (descriptor >= 0)
            {
                _ = fsync(descriptor);
                _ = close(descriptor);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to ask: the rename is still atomic, only its durability across a power cut is not forced.
        }
    }

    /// <summary>The device (major, minor) <paramref name="path"/> lives on, or null when unknown.</summary>
    public static (uint Major, uint Minor)? DeviceOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // stx_dev_major at 136 and stx_dev_minor at 140 are always filled in, whatever the mask asks for.
        var buffer = new byte[256];
        try
        {
            return statx(AtCurrentDirectory, path, 0, 0, buffer) == 0 ? (BitConverter.ToUInt32(buffer, 136), BitConverter.ToUInt32(buffer, 140)) : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Flushes the whole file system <paramref name="directory"/> is on (<c>syncfs</c>, else <c>sync</c>); best effort.</summary>
    public static void SyncFileSystem(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            var descriptor = open(directory, OpenCloseOnExec | OpenDirectoryOnly);
            if (descriptor < 0)
            {
                sync();
                return;
            }

            try
            {
                if (syncfs(descriptor) != 0)
                {
                    sync();
                }
            }
            finally
            {
                _ = close(descriptor);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to ask: the renames are still atomic, only their durability across a power cut is not forced.
        }
    }

    /// <summary>
    /// Opens <paramref name="directory"/> and takes a <c>flock</c> on it, waiting for whoever holds a conflicting one;
    /// the descriptor (close it to let go), or -1 when the directory cannot be opened or locked (not Linux, no libc,
    /// no read permission).
    /// </summary>
    public static int LockDirectory(string directory, bool exclusive) => LockDirectory(directory, exclusive, wait: true, out _);

    /// <summary>
    /// <see cref="LockDirectory(string, bool)"/>, or without waiting (<paramref name="wait"/> false): then
    /// <paramref name="busy"/> says another holds a conflicting lock (and -1 comes back).
    /// </summary>
    public static int LockDirectory(string directory, bool exclusive, bool wait, out bool busy)
    {
        busy = false;
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        try
        {
            var descriptor = open(directory, OpenCloseOnExec | OpenDirectoryOnly);
            if (descriptor < 0)
            {
                return -1;
            }

            int result;
            var operation = (exclusive ? LockExclusive : LockShared) | (wait ? 0 : LockNonBlocking);
            while ((result = flock(descriptor, operation)) != 0 && Marshal.GetLastPInvokeError() == Interrupted)
            {
                // Interrupted by a signal: wait again.
            }

            if (result != 0)
            {
                busy = Marshal.GetLastPInvokeError() == WouldBlock;
                _ = close(descriptor);
                return -1;
            }

            return descriptor;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>Closes a descriptor <see cref="LockDirectory(string, bool)"/> gave, releasing its lock.</summary>
    public static void Unlock(int descriptor)
    {
        if (descriptor >= 0)
        {
            _ = close(descriptor);
        }
    }

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int syncfs(int descriptor);

    [LibraryImport(Libc)]
    private static partial void sync();

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int flock(int descriptor, int operation);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int fchown(int descriptor, uint user, uint group);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int fsync(int descriptor);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int close(int descriptor);
}
