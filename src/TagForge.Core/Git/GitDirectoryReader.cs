using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TagForge.Git;

/// <summary>
/// Reads HEAD, the branch it names and its commit's tree straight from the <c>.git</c> directory, for the common
/// case: loose or packed refs, and a commit stored loose or undeltified in a pack. Loading libgit2 (and the OpenSSL
/// it opens on start) cost more than the rest of a <c>tagforge tag</c> whose template needs only the commit and
/// branch. Anything it does not fully understand (reftable, SHA-256 packs, deltified commits, alternates, refs
/// outside <c>refs/heads</c>) answers <see langword="null"/> and the caller asks libgit2. Written by hand because
/// no library reads these formats without also loading libgit2.
/// </summary>
internal sealed class GitDirectoryReader
{
    private const int MaxSymbolicDepth = 5;
    private const string SymbolicPrefix = "ref: ";
    private const string BranchPrefix = "refs/heads/";
    private const int Sha1Length = 20;
    private const byte CommitObjectType = 1;

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>"\377tOc": a version 2 (or later) pack index; version 1 has no header.</summary>
    private static ReadOnlySpan<byte> PackIndexMagic => [0xFF, 0x74, 0x4F, 0x63];

    private GitDirectoryReader(string gitDirectory, string commonDirectory)
    {
        GitDirectory = gitDirectory;
        CommonDirectory = commonDirectory;
    }

    /// <summary>This checkout's git directory (a worktree's own one holds its HEAD and index).</summary>
    public string GitDirectory { get; }

    /// <summary>The directory shared by every worktree: refs, objects, the shallow file.</summary>
    public string CommonDirectory { get; }

    /// <summary>The git directories of the checkout at <paramref name="workingDirectory"/>, or null when <c>.git</c> is neither a directory nor a <c>gitdir:</c> file.</summary>
    public static GitDirectoryReader? Open(string workingDirectory)
    {
        try
        {
            var dotGit = Path.Combine(workingDirectory, ".git");
            var gitDirectory = dotGit;
            if (File.Exists(dotGit))
            {
                // Worktrees and submodules: a file "gitdir: PATH", PATH relative to the working directory.
                var pointer = File.ReadAllText(dotGit).Trim();
                if (!pointer.StartsWith("gitdir: ", StringComparison.Ordinal))
                {
                    return null;
                }

                gitDirectory = Path.GetFullPath(pointer["gitdir: ".Length..], workingDirectory);
            }

            if (!Directory.Exists(gitDirectory))
            {
                return null;
            }

            var commonFile = Path.Combine(gitDirectory, "commondir");
            var commonDirectory = File.Exists(commonFile)
                ? Path.GetFullPath(File.ReadAllText(commonFile).Trim(), gitDirectory)
                : gitDirectory;
            return new GitDirectoryReader(gitDirectory, commonDirectory);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return null;
        }
    }

    /// <summary>HEAD's commit and branch, or null when HEAD is unborn or stored in a way this reader leaves to libgit2.</summary>
    public GitHead? TryReadHead()
    {
        try
        {
            var head = File.ReadAllText(Path.Combine(GitDirectory, "HEAD")).Trim();
            string? branch = null;
            if (head.StartsWith(SymbolicPrefix, StringComparison.Ordinal))
            {
                var name = head[SymbolicPrefix.Length..];
                if (!name.StartsWith(BranchPrefix, StringComparison.Ordinal))
                {
                    return null;
                }

                branch = name[BranchPrefix.Length..];
                head = ResolveReference(name, MaxSymbolicDepth);
            }

            return head is not null && IsObjectId(head) ? new GitHead(head, branch, IsShallow()) : null;
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return null;
        }
    }

    /// <summary>The tree of commit <paramref name="sha"/>, or null when the commit is not stored loose or undeltified.</summary>
    public string? TryReadTree(string sha)
    {
        try
        {
            var commit = ReadLooseCommitStart(sha) ?? ReadPackedCommitStart(sha);
            // A commit object starts "tree HEX\n".
            if (commit is null || !commit.StartsWith("tree ", StringComparison.Ordinal))
            {
                return null;
            }

            var end = commit.IndexOf('\n', StringComparison.Ordinal);
            var tree = end > 0 ? commit[5..end] : null;
            return tree is not null && IsObjectId(tree) ? tree : null;
        }
        catch (Exception ex) when (IsReadFailure(ex) || ex is InvalidDataException)
        {
            return null;
        }
    }

    private bool IsShallow()
    {
        var shallow = new FileInfo(Path.Combine(CommonDirectory, "shallow"));
        return shallow.Exists && shallow.Length > 0;
    }

    private string? ResolveReference(string name, int depth)
    {
        var loose = Path.Combine(CommonDirectory, name);
        var value = File.Exists(loose) ? File.ReadAllText(loose).Trim() : FindPackedReference(name);
        if (value is null || !value.StartsWith(SymbolicPrefix, StringComparison.Ordinal))
        {
            return value;
        }

        return depth > 0 ? ResolveReference(value[SymbolicPrefix.Length..], depth - 1) : null;
    }

    private string? FindPackedReference(string name)
    {
        var packed = Path.Combine(CommonDirectory, "packed-refs");
        if (!File.Exists(packed))
        {
            return null;
        }

        foreach (var line in File.ReadLines(packed))
        {
            // "SHA NAME"; comment lines start with '#', peeled values of the line above with '^'.
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line[0] is not ('#' or '^') && line.AsSpan(space + 1).SequenceEqual(name))
            {
                return line[..space];
            }
        }

        return null;
    }

    private string? ReadLooseCommitStart(string sha)
    {
        var path = Path.Combine(CommonDirectory, "objects", sha[..2], sha[2..]);
        if (!File.Exists(path))
        {
            return null;
        }

        using var file = File.OpenRead(path);
        using var inflated = new ZLibStream(file, CompressionMode.Decompress);
        var start = ReadStart(inflated);
        // A loose object starts "TYPE SIZE\0".
        var nul = start.IndexOf('\0', StringComparison.Ordinal);
        return nul > 0 && start.StartsWith("commit ", StringComparison.Ordinal) ? start[(nul + 1)..] : null;
    }

    private string? ReadPackedCommitStart(string sha)
    {
        if (sha.Length != Sha1Length * 2)
        {
            return null;
        }

        var id = Convert.FromHexString(sha);
        var packDirectory = Path.Combine(CommonDirectory, "objects", "pack");
        if (!Directory.Exists(packDirectory))
        {
            return null;
        }

        foreach (var indexPath in Directory.EnumerateFiles(packDirectory, "*.idx"))
        {
            if (FindPackOffset(indexPath, id) is { } offset)
            {
                return ReadPackedCommit(Path.ChangeExtension(indexPath, ".pack"), offset);
            }
        }

        return null;
    }

    /// <summary>Looks <paramref name="id"/> up in a version 2 pack index: fan-out table, then a binary search of the sorted ids.</summary>
    private static long? FindPackOffset(string indexPath, byte[] id)
    {
        using var handle = File.OpenHandle(indexPath);
        Span<byte> header = stackalloc byte[8 + (256 * 4)];
        if (RandomAccess.Read(handle, header, 0) != header.Length
            || !header[..4].SequenceEqual(PackIndexMagic)
            || BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != 2)
        {
            return null;
        }

        var fanout = header[8..];
        var count = BinaryPrimitives.ReadUInt32BigEndian(fanout[(255 * 4)..]);
        long low = id[0] == 0 ? 0 : BinaryPrimitives.ReadUInt32BigEndian(fanout[((id[0] - 1) * 4)..]);
        long high = BinaryPrimitives.ReadUInt32BigEndian(fanout[(id[0] * 4)..]);
        const long namesStart = 8 + (256 * 4);
        Span<byte> candidate = stackalloc byte[Sha1Length];
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            RandomAccess.Read(handle, candidate, namesStart + (middle * Sha1Length));
            var order = candidate.SequenceCompareTo(id);
            if (order == 0)
            {
                return ReadOffset(handle, count, middle);
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return null;
    }

    private static long ReadOffset(SafeFileHandle handle, long count, long position)
    {
        // After the ids: a CRC32 per object, a 4-byte offset per object, then 8-byte offsets for packs over 2 GiB.
        var offsetsStart = 8 + (256 * 4) + (count * Sha1Length) + (count * 4);
        Span<byte> buffer = stackalloc byte[8];
        RandomAccess.Read(handle, buffer[..4], offsetsStart + (position * 4));
        var offset = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        if ((offset & 0x8000_0000) == 0)
        {
            return offset;
        }

        RandomAccess.Read(handle, buffer, offsetsStart + (count * 4) + ((offset & 0x7FFF_FFFF) * 8));
        return (long)BinaryPrimitives.ReadUInt64BigEndian(buffer);
    }

    private static string? ReadPackedCommit(string packPath, long offset)
    {
        using var pack = new FileStream(packPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 512);
        pack.Position = offset;
        // Entry header: type in bits 4-6 of the first byte, then the size as a little-endian base-128 varint.
        var first = pack.ReadByte();
        if (first < 0 || ((first >> 4) & 7) != CommitObjectType)
        {
            return null;
        }

        for (var next = first; (next & 0x80) != 0;)
        {
            next = pack.ReadByte();
            if (next < 0)
            {
                return null;
            }
        }

        using var inflated = new ZLibStream(pack, CompressionMode.Decompress, leaveOpen: true);
        return ReadStart(inflated);
    }

    /// <summary>The first bytes of an object: enough for its header and its first line ("tree " and 64 hex digits).</summary>
    private static string ReadStart(Stream stream)
    {
        Span<byte> buffer = stackalloc byte[128];
        var read = 0;
        while (read < buffer.Length)
        {
            var chunk = stream.Read(buffer[read..]);
            if (chunk == 0)
            {
                break;
            }

            read += chunk;
        }

        return Encoding.ASCII.GetString(buffer[..read]);
    }

    private static bool IsObjectId(string value) =>
        value.Length is 40 or 64 && value.AsSpan().IndexOfAnyExcept(LowerHexDigits) < 0;

    private static bool IsReadFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;
}
