using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TagForge.Git;

/// <summary>
/// What one <c>lstat</c> says of a path, the fields git's index caches (its <c>stat_data</c>): type and permission
/// bits, size, modification and change times to the nanosecond, inode. On Linux it is one <c>statx</c> call (the
/// managed <see cref="FileSystemInfo"/> costs two <c>lstat</c>s and a <c>geteuid</c> per file, and has no change
/// time or inode); elsewhere, or where <c>statx</c> is missing, the managed stat, without change time and inode
/// (<see cref="HasChangeData"/> is false).
/// </summary>
internal readonly record struct FileStat(uint Mode, long Size, long MtimeSeconds, uint MtimeNanoseconds, long CtimeSeconds, uint CtimeNanoseconds, ulong Inode, bool HasChangeData)
{
    private const uint TypeMask = 0xF000;
    private const int SymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint WantedFields = 0x3C3; // STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE
    private const int NotFound = 2; // ENOENT
    private const int NotDirectory = 20; // ENOTDIR

    /// <summary>The C library's <c>statx</c>, found by name (the runtime maps <c>libc</c> itself only when JIT-compiled, not under Native AOT); 0 where there is none.</summary>
    private static readonly nint s_statx = FindStatx();

    private static volatile bool s_nativeBroken = s_statx == 0;

    /// <summary>A regular file.</summary>
    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    /// <summary>A directory.</summary>
    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    /// <summary>A symbolic link (never followed).</summary>
    public bool IsSymbolicLink => (Mode & TypeMask) == 0xA000;

    /// <summary>The permission bits, set-id and sticky bits included (<c>07777</c>).</summary>
    public int PermissionBits => (int)(Mode & 0xFFF);

    /// <summary>The modification time, to .NET's 100 ns (truncated, as <see cref="FileSystemInfo.LastWriteTimeUtc"/>).</summary>
    public DateTime LastWriteUtc => DateTime.UnixEpoch.AddTicks((MtimeSeconds * TimeSpan.TicksPerSecond) + (MtimeNanoseconds / 100));

    /// <summary>The <c>lstat</c> of <paramref name="path"/>; false when nothing is there.</summary>
    /// <exception cref="IOException">It exists but cannot be examined.</exception>
    /// <exception cref="UnauthorizedAccessException">A parent directory cannot be searched.</exception>
    public static bool TryGet(string path, out FileStat stat)
    {
        ArgumentNullException.ThrowIfNull(path);
        return s_nativeBroken ? TryManaged(path, out stat) : TryNative(path, out stat);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe bool TryNative(string path, out FileStat stat)
    {
        var length = System.Text.Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        Span<byte> name = length <= 1024 ? stackalloc byte[length] : new byte[length];
        name[System.Text.Encoding.UTF8.GetBytes(path, name)] = 0;
        StatxBuffer buffer;
        int result;
        int error;
        fixed (byte* pointer = name)
        {
            Marshal.SetLastSystemError(0);
            result = ((delegate* unmanaged<int, byte*, int, uint, StatxBuffer*, int>)s_statx)(CurrentDirectory, pointer, SymlinkNoFollow, WantedFields, &buffer);
            error = Marshal.GetLastSystemError();
        }

        if (result != 0)
        {
            stat = default;
            return error is NotFound or NotDirectory
                ? false
                : error == 38 // ENOSYS: a kernel without statx
                    ? FallBack(path, out stat)
                    : throw (error == 13 ? new UnauthorizedAccessException($"cannot examine {path}: permission denied") : new IOException($"cannot examine {path}: {Marshal.GetPInvokeErrorMessage(error)}"));
        }

        var complete = (buffer.Mask & WantedFields) == WantedFields;
        stat = new FileStat(
            buffer.Mode, (long)buffer.Size, buffer.MtimeSeconds, buffer.MtimeNanoseconds,
            complete ? buffer.CtimeSeconds : 0, complete ? buffer.CtimeNanoseconds : 0, complete ? buffer.Inode : 0, complete);
        return true;
    }

    private static bool FallBack(string path, out FileStat stat)
    {
        s_nativeBroken = true;
        return TryManaged(path, out stat);
    }

    /// <summary>The managed stat (no change time, no inode): where <c>statx</c> is missing, and for tests.</summary>
    internal static bool TryManaged(string path, out FileStat stat)
    {
        var info = new FileInfo(path);
        var attributes = info.Attributes;
        if ((int)attributes == -1)
        {
            stat = default;
            return false; // FileSystemInfo's answer for a missing path
        }

        var type = (attributes & FileAttributes.ReparsePoint) != 0 ? 0xA000u : (attributes & FileAttributes.Directory) != 0 ? 0x4000u : 0x8000u;
        var ticks = info.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks;
        var (seconds, remainder) = Math.DivRem(ticks, TimeSpan.TicksPerSecond);
        stat = new FileStat(
            type | (type == 0xA000u ? 0x1FFu : OperatingSystem.IsWindows() ? 0x1A4u : (uint)info.UnixFileMode & 0xFFFu), // a link's managed mode is its target's
            type == 0x8000u ? info.Length : 0,
            seconds,
            (uint)(remainder * 100),
            0,
            0,
            0,
            false);
        return true;
    }

    private static nint FindStatx()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        foreach (var library in (string[])["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc"])
        {
            if (NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, "statx", out var statx))
            {
                return statx; // glibc 2.28 and musl 1.2.5 on; older ones have none, and the managed stat serves
            }
        }

        return 0;
    }

    /// <summary>Linux's <c>struct statx</c> (the same layout on every architecture).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long CtimeSeconds;
        [FieldOffset(104)] public uint CtimeNanoseconds;
        [FieldOffset(112)] public long MtimeSeconds;
        [FieldOffset(120)] public uint MtimeNanoseconds;
    }
}
