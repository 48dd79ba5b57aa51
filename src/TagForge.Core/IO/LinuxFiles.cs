using System.Runtime.InteropServices;

namespace TagForge.IO;

/// <summary>
/// The system calls a <c>pin</c> of thousands of files makes per file, straight to libc: .NET's file API spends
/// three times as many on the same work (an <c>flock</c> and its release for every open, a <c>stat</c> before every
/// step), and on a virtual machine, where a system call costs microseconds, that was most of the run. Linux only
/// (source-generated <see cref="LibraryImportAttribute"/>, AOT-safe); each answers "could not" (null, -1, false)
/// rather than throw, and the caller falls back to .NET's API, which says what is wrong as it always did.
/// </summary>
internal static unsafe partial class LinuxFiles
{
    private const string Libc = "libc.so.6";
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const uint StatxSize = 0x200;
    private const uint StatxNeeded = StatxType | StatxMode | StatxUid | StatxGid;
    private const int OpenReadOnly = 0;
    private const int OpenWriteOnly = 1;
    private const int OpenCreate = 0x40;
    private const int OpenExclusive = 0x80;
    private const int OpenCloseOnExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int Interrupted = 4;
    private const int NoData = 61; // ENODATA: no such attribute
    private const int TooLarge = 34; // ERANGE: the buffer is too small
    private const int NotSupported = 95; // EOPNOTSUPP: no ACLs on this file system
    private const string AccessAcl = "system.posix_acl_access";
    private const int AclBytes = 1024;

    private static readonly Lazy<(uint User, uint Group)?> Ids = new(() =>
    {
        try
        {
            // statx is the one call here that an old glibc (before 2.28) lacks: without it, none is used.
            return OperatingSystem.IsLinux() && Stat(AtCurrentDirectory, "/", 0) is not null ? (geteuid(), getegid()) : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    });

    private static readonly Lazy<uint?> ProcessUmask = new(ReadUmask);

    /// <summary>A file's type and permission bits (<c>st_mode</c>), owner, group and size.</summary>
    public readonly record struct Status(uint Mode, uint User, uint Group, long Size)
    {
        public bool IsRegularFile => (Mode & 0xF000) == 0x8000;

        public bool IsDirectory => (Mode & 0xF000) == 0x4000;

        /// <summary>The permission bits, set-user-ID, set-group-ID and sticky included.</summary>
        public uint Permissions => Mode & 0xFFF;
    }

    /// <summary>The process's effective user and group, or null where these calls are not to be had (not Linux, no glibc).</summary>
    public static (uint User, uint Group)? EffectiveIds => Ids.Value;

    /// <summary>The process's umask (from <c>/proc/self/status</c>: reading it with <c>umask(2)</c> would change it for a moment), or null when unknown.</summary>
    public static uint? Umask => ProcessUmask.Value;

    /// <summary>The status of <paramref name="path"/> itself (a symbolic link is not followed), or null when it cannot be had.</summary>
    public static Status? StatNoFollow(string path) => EffectiveIds is null ? null : Stat(AtCurrentDirectory, path, AtSymlinkNoFollow);

    /// <summary>
    /// The whole content of the regular file at <paramref name="path"/> in four system calls (open, statx, read,
    /// close), or null when that does not work out (not Linux, missing, unreadable, not a regular file, empty, or
    /// changed size while read): then read it with <see cref="File.ReadAllBytes(string)"/>, which says why.
    /// </summary>
    public static byte[]? TryReadAll(string path)
    {
        if (EffectiveIds is null)
        {
            return null;
        }

        var descriptor = open(path, OpenReadOnly | OpenCloseOnExec, 0);
        if (descriptor < 0)
        {
            return null;
        }

        try
        {
            if (Stat(descriptor, "", AtEmptyPath) is not { IsRegularFile: true, Size: > 0 } status || status.Size > Array.MaxLength)
            {
                return null;
            }

            var bytes = new byte[status.Size];
            fixed (byte* start = bytes)
            {
                var filled = 0;
                while (filled < bytes.Length)
                {
                    var count = read(descriptor, start + filled, bytes.Length - filled);
                    if (count > 0)
                    {
                        filled += (int)count;
                    }
                    else if (count == 0 || Marshal.GetLastPInvokeError() != Interrupted)
                    {
                        // Shorter than its size said (truncated meanwhile) or a read error: the slow road decides.
                        return null;
                    }
                }
            }

            return bytes;
        }
        finally
        {
            _ = close(descriptor);
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> (it must not exist) for writing with the permission bits <paramref name="mode"/>
    /// (less the umask) and takes an exclusive <c>flock</c> on it, as a live writer's temporary file has; the
    /// descriptor, or -1 (<see cref="LastError"/> says why).
    /// </summary>
    public static int CreateExclusive(string path, uint mode)
    {
        var descriptor = open(path, OpenWriteOnly | OpenCreate | OpenExclusive | OpenCloseOnExec, (int)mode);
        if (descriptor >= 0)
        {
            // No one else can hold a file this call just created: the lock is taken at once.
            _ = flock(descriptor, LockExclusive | LockNonBlocking);
        }

        return descriptor;
    }

    /// <summary>Writes all of <paramref name="content"/> to <paramref name="descriptor"/>; false on an error (<see cref="LastError"/>).</summary>
    public static bool WriteAll(int descriptor, ReadOnlySpan<byte> content)
    {
        fixed (byte* start = content)
        {
            var written = 0;
            while (written < content.Length)
            {
                var count = write(descriptor, start + written, content.Length - written);
                if (count > 0)
                {
                    written += (int)count;
                }
                else if (count == 0 || Marshal.GetLastPInvokeError() != Interrupted)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Gives the open file the owner and group, or at least the group; false when neither was allowed.</summary>
    public static bool SetOwner(int descriptor, uint user, uint group) => fchown(descriptor, user, group) == 0 || fchown(descriptor, uint.MaxValue, group) == 0;

    /// <summary>Sets the open file's permission bits (set-user-ID and the like included); false on an error.</summary>
    public static bool SetMode(int descriptor, uint permissions) => fchmod(descriptor, permissions) == 0;

    /// <summary>Closes <paramref name="descriptor"/>; false when the close reported an error (a lost write on some file systems).</summary>
    public static bool Close(int descriptor) => close(descriptor) == 0;

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> (atomic on one file system); false on an error.</summary>
    public static bool Rename(string from, string to) => rename(from, to) == 0;

    /// <summary>Removes <paramref name="path"/>; best effort.</summary>
    public static void Unlink(string path) => _ = unlink(path);

    /// <summary>
    /// Gives the open new file <paramref name="descriptor"/> the access ACL of <paramref name="oldPath"/> (a grant to
    /// another user or group stays with the content, as <c>sed -i</c> keeps it), or removes the one it inherited
    /// from a default ACL when the old file had none (<paramref name="inherited"/>). True when there was nothing to
    /// do or it was done; false on an error (<see cref="LastError"/>).
    /// </summary>
    public static bool KeepAccessAcl(string oldPath, int descriptor, bool inherited)
    {
        var buffer = stackalloc byte[AclBytes];
        var length = getxattr(oldPath, AccessAcl, buffer, AclBytes);
        if (length >= 0)
        {
            return fsetxattr(descriptor, AccessAcl, buffer, length, 0) == 0;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error == TooLarge)
        {
            // More entries than the buffer holds (over ~120): ask the size, then read into a buffer that fits.
            var size = getxattr(oldPath, AccessAcl, null, 0);
            var large = new byte[Math.Max(0, (int)size)];
            fixed (byte* value = large)
            {
                length = size < 0 ? -1 : getxattr(oldPath, AccessAcl, value, large.Length);
                return length >= 0 && fsetxattr(descriptor, AccessAcl, value, length, 0) == 0;
            }
        }

        // No ACL on the old file (or none on this file system): the new one must have none either.
        return error is NoData or NotSupported
            ? !inherited || fremovexattr(descriptor, AccessAcl) == 0 || Marshal.GetLastPInvokeError() is NoData or NotSupported
            : false;
    }

    /// <summary>True when <paramref name="directory"/> has a default ACL, which decides new files' modes instead of the umask; false when it has none or it is unknown.</summary>
    public static bool HasDefaultAcl(string directory) => getxattr(directory, "system.posix_acl_default", null, 0) > 0;

    /// <summary>The error of the last call that failed, as the system words it.</summary>
    public static string LastError => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    private static Status? Stat(int directory, string path, int flags)
    {
        var buffer = stackalloc byte[256];

        // struct statx has one layout on every Linux architecture: mask at 0, uid at 20, gid at 24, mode at 28, size at 40.
        if (statx(directory, path, flags, StatxNeeded | StatxSize, buffer) != 0)
        {
            return null;
        }

        var mask = *(uint*)buffer;
        return (mask & StatxNeeded) != StatxNeeded
            ? null
            : new Status(*(ushort*)(buffer + 28), *(uint*)(buffer + 20), *(uint*)(buffer + 24), (mask & StatxSize) != 0 ? *(long*)(buffer + 40) : -1);
    }

    private static uint? ReadUmask()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Umask:", StringComparison.Ordinal));
            return line is null ? null : Convert.ToUInt32(line["Umask:".Length..].Trim(), 8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial nint read(int descriptor, byte* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial nint write(int descriptor, byte* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int flock(int descriptor, int operation);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int fchown(int descriptor, uint user, uint group);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int fchmod(int descriptor, uint mode);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int close(int descriptor);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int rename(string from, string to);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int unlink(string path);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint getxattr(string path, string name, byte* value, nint size);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int fsetxattr(int descriptor, string name, byte* value, nint size, int flags);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int fremovexattr(int descriptor, string name);

    [LibraryImport(Libc)]
    private static partial uint geteuid();

    [LibraryImport(Libc)]
    private static partial uint getegid();
}
