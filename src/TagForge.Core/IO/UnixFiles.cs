using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TagForge.IO;

/// <summary>
/// The three things <see cref="AtomicFile"/> needs that .NET has no API for: a file's owner (<c>statx</c>), giving a
/// file an owner (<c>fchown</c>), and flushing a directory entry (<c>fsync</c> on the directory). Linux only, through
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
