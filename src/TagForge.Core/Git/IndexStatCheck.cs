using System.Buffers.Binary;
using System.Text;

namespace TagForge.Git;

/// <summary>
/// A fast, conservative "is the tree clean?" for the common case, answered from the git index alone: every entry's
/// recorded size, mtime and executable bit still match the file (one stat per tracked file, no directory walk, no
/// ignore rules), and the index's cached root tree is HEAD's tree. Where the stat cannot decide (a touched file of
/// the same size, a racily-clean entry such as every file of a fresh clone), the file's blob hash is compared with
/// the entry's, as git does. It only ever answers <see langword="true"/> when that proves the tree clean; anything
/// it does not fully understand (index v4, split or sparse index, symlinks, a stale cache-tree, a size or hash
/// mismatch, which checkout filters also cause) answers <see langword="null"/> and the caller asks libgit2's full
/// status. libgit2's status walks every directory and loads ignore rules even with untracked files off, which
/// made the dirty check cost more than the rest of <c>tagforge tag</c>; git itself answers from the index like this.
/// </summary>
internal static class IndexStatCheck
{
    private const int Sha1Length = 20;
    private const int FixedEntryLength = 62;
    private const ushort AssumeValidFlag = 0x8000;
    private const ushort ExtendedFlag = 0x4000;
    private const ushort NameLengthMask = 0x0FFF;
    private const ushort SkipWorktreeFlag = 0x4000;
    private const ushort IntentToAddFlag = 0x2000;
    private const uint ModeTypeMask = 0xF000;
    private const uint RegularFileType = 0x8000;
    private const uint GitlinkType = 0xE000;
    private const uint ExecutableBits = 0x49; // 0111: git records regular files as 100644 or 100755
    private const ushort StageMask = 0x3000;
    private const int ParallelThreshold = 1000;
    private const int HashChunk = 1 << 16;
    private const long ParallelHashBytes = 256 << 10; // enough re-reading (a fresh clone) to pay for the thread pool

    /// <summary>True when the index proves the working tree matches <paramref name="headTreeSha"/>; otherwise null.</summary>
    public static bool? IsClean(string gitDirectory, string workingDirectory, string headTreeSha)
    {
        try
        {
            var indexPath = Path.Combine(gitDirectory, "index");
            var indexInfo = new FileInfo(indexPath);
            if (!indexInfo.Exists)
            {
                return null;
            }

            var index = File.ReadAllBytes(indexPath);
            return Check(index, indexInfo.LastWriteTimeUtc, workingDirectory, headTreeSha) ? true : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static bool Check(ReadOnlySpan<byte> index, DateTime indexWriteTime, string workingDirectory, string headTreeSha)
    {
        if (index.Length < 12 || !index[..4].SequenceEqual("DIRC"u8))
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(index[4..]);
        if (version is not (2 or 3))
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(index[8..]);
        var indexSeconds = new DateTimeOffset(indexWriteTime).ToUnixTimeSeconds();

        // FileInfo keeps 100 ns ticks: the index's time rounded down, which only makes more entries racy (safe).
        var indexNanoseconds = (uint)(indexWriteTime.Ticks % TimeSpan.TicksPerSecond * 100);
        var files = new List<IndexedFile>((int)Math.Min(count, 1_000_000));
        long racyBytes = 0;
        var offset = 12;
        for (var i = 0; i < count; i++)
        {
            var entry = index[offset..];
            var mtimeSeconds = BinaryPrimitives.ReadUInt32BigEndian(entry[8..]);
            var mtimeNanoseconds = BinaryPrimitives.ReadUInt32BigEndian(entry[12..]);
            var mode = BinaryPrimitives.ReadUInt32BigEndian(entry[24..]);
            var size = BinaryPrimitives.ReadUInt32BigEndian(entry[36..]);
            var flags = BinaryPrimitives.ReadUInt16BigEndian(entry[60..]);
            var headerLength = FixedEntryLength;
            ushort extendedFlags = 0;
            if ((flags & ExtendedFlag) != 0)
            {
                extendedFlags = BinaryPrimitives.ReadUInt16BigEndian(entry[62..]);
                headerLength += 2;
            }

            var nameLength = flags & NameLengthMask;
            if (nameLength == NameLengthMask)
            {
                nameLength = entry[headerLength..].IndexOf((byte)0);
            }

            // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
            offset += (headerLength + nameLength + 8) & ~7;

            if ((extendedFlags & IntentToAddFlag) != 0 || (flags & StageMask) != 0)
            {
                return false; // intent-to-add or an unmerged stage: not clean, or not something to judge here.
            }

            var type = mode & ModeTypeMask;
            if (type == GitlinkType || (flags & AssumeValidFlag) != 0 || (extendedFlags & SkipWorktreeFlag) != 0)
            {
                continue; // submodules are excluded; assume-unchanged and skip-worktree entries are not compared by git either.
            }

            if (type != RegularFileType)
            {
                return false; // symlinks: left to libgit2.
            }

            var path = Path.Combine(workingDirectory, Encoding.UTF8.GetString(entry.Slice(headerLength, nameLength)));
            // Racily clean: the file's recorded time is not before the index's, so a change made after the index
            // was written could hide behind an equal stat; git re-reads those, and so do we. Compared to the
            // nanosecond, as git does (USE_NSEC): a fresh clone writes its files before its index, in the same
            // second but not the same instant, and comparing seconds alone re-read every file of every CI clone.
            var racy = mtimeSeconds > indexSeconds || (mtimeSeconds == indexSeconds && mtimeNanoseconds >= indexNanoseconds);
            racyBytes += racy ? size : 0;
            files.Add(new IndexedFile(path, size, mtimeSeconds, mtimeNanoseconds, (mode & ExecutableBits) != 0, racy, entry.Slice(40, Sha1Length).ToArray()));
        }

        if (!RootTreeIs(index[offset..^Sha1Length], headTreeSha))
        {
            return false;
        }

        // One stat per file; like git's preloaded index, large indexes (or much re-reading) are checked on every core.
        if (files.Count < ParallelThreshold && racyBytes < ParallelHashBytes)
        {
            return files.TrueForAll(Unchanged);
        }

        var changed = 0;
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, files.Count, Math.Max(files.Count / Environment.ProcessorCount / 4, 1)),
            (range, state) =>
            {
                for (var i = range.Item1; i < range.Item2 && Volatile.Read(ref changed) == 0; i++)
                {
                    if (!Unchanged(files[i]))
                    {
                        Interlocked.Exchange(ref changed, 1);
                        state.Stop();
                    }
                }
            });
        return changed == 0;
    }

    private static bool Unchanged(IndexedFile indexed)
    {
        var file = new FileInfo(indexed.Path);
        if (!file.Exists || (uint)file.Length != indexed.Size
            || ((file.UnixFileMode & UnixFileMode.UserExecute) != 0) != indexed.Executable)
        {
            return false; // a chmod +x is a change to git (core.fileMode); where it is off, libgit2 decides.
        }

        var written = file.LastWriteTimeUtc;
        var statMatches = new DateTimeOffset(written).ToUnixTimeSeconds() == indexed.MtimeSeconds
            && written.Ticks % TimeSpan.TicksPerSecond == indexed.MtimeNanoseconds / 100;
        // Same size but touched, or racily clean: the content decides, as in git. A checkout filter (CRLF, LFS)
        // makes the hashes differ, and then libgit2, which knows the filters, decides.
        return (statMatches && !indexed.Racy) || ContentIs(indexed.Path, file.Length, indexed.ObjectId);
    }

    /// <summary>True when the file hashes to <paramref name="objectId"/> as a git blob: SHA-1 of "blob SIZE\0" and the bytes.</summary>
    private static bool ContentIs(string path, long length, byte[] objectId)
    {
        try
        {
            Span<byte> hash = stackalloc byte[Sha1Length];
            return HashBlob(path, length, hash) && hash.SequenceEqual(objectId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // gone or unreadable since the stat: not provably clean
        }
    }

    /// <summary>Hashes the file as a git blob into <paramref name="hash"/>; false when its length changed meanwhile.</summary>
    private static bool HashBlob(string path, long length, Span<byte> hash)
    {
        // One hasher and buffer per thread: a fresh clone hashes every file, and per-file allocations were most
        // of that cost. The buffer holds a small file and one byte more, so one read both reads it and shows
        // that it ends where the index says (a short read of a regular file is its end).
        var sha1 = t_hasher ??= new BlobHasher();
        var buffer = t_buffer ??= new byte[HashChunk];
        sha1.StartBlob(length);
        using var file = File.OpenHandle(path);
        long offset = 0;
        while (true)
        {
            var wanted = (int)Math.Min(buffer.Length, length - offset + 1);
            var read = RandomAccess.Read(file, buffer.AsSpan(0, wanted), offset);
            if (read == 0)
            {
                break;
            }

            offset += read;
            if (offset > length)
            {
                return false; // grew since the stat
            }

            sha1.Append(buffer.AsSpan(0, read));
            if (read < wanted)
            {
                break;
            }
        }

        sha1.Finish(hash);
        return offset == length;
    }

    [ThreadStatic]
    private static BlobHasher? t_hasher;

    [ThreadStatic]
    private static byte[]? t_buffer;

    /// <summary>Reads the cache-tree ("TREE") extension's root entry and compares it with HEAD's tree.</summary>
    private static bool RootTreeIs(ReadOnlySpan<byte> extensions, string headTreeSha)
    {
        while (extensions.Length >= 8)
        {
            var signature = extensions[..4];
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(extensions[4..]);
            var data = extensions.Slice(8, size);
            if (signature.SequenceEqual("link"u8) || signature.SequenceEqual("sdir"u8))
            {
                return false; // split or sparse index: the entries above are not the whole story.
            }

            if (signature.SequenceEqual("TREE"u8))
            {
                // Root entry: "" NUL, "<entry count> <subtree count>\n", then the tree id unless the count is -1.
                if (data.Length == 0 || data[0] != 0)
                {
                    return false;
                }

                var newline = data.IndexOf((byte)'\n');
                if (newline < 0 || data[1] == (byte)'-' || data.Length < newline + 1 + Sha1Length)
                {
                    return false;
                }

                return Convert.ToHexStringLower(data.Slice(newline + 1, Sha1Length)) == headTreeSha;
            }

            extensions = extensions[(8 + size)..];
        }

        return false;
    }

    private readonly record struct IndexedFile(
        string Path, uint Size, uint MtimeSeconds, uint MtimeNanoseconds, bool Executable, bool Racy, byte[] ObjectId);
}
