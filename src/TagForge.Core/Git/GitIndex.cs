using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Text;

namespace TagForge.Git;

/// <summary>
/// git's index (<c>GIT_DIR/index</c>, versions 2 to 4) read once: every entry's path, mode, cached stat data, blob id
/// and flags, the time the index was written, and the cached root tree. The one reader of the index: the dirty check
/// (<see cref="IndexStatCheck"/>) and the content identity's stat cache both use it. Anything it does not fully
/// understand (a split or sparse index, whose entries are not the whole story; a malformed file) reads as null, and
/// the callers then ask libgit2 or read every file.
/// </summary>
internal sealed class GitIndex
{
    /// <summary>The length of a SHA-1 object id.</summary>
    public const int ObjectIdLength = 20;

    private const int FixedEntryLength = 62;
    private const ushort ExtendedFlag = 0x4000;
    private const ushort NameLengthMask = 0x0FFF;
    private const int NotUnique = -1;

    private readonly byte[] _data;
    private readonly GitIndexEntry[] _entries;
    private readonly long _writtenSeconds;
    private readonly uint _writtenNanoseconds;
    private Dictionary<string, int>? _byPath;

    private GitIndex(byte[] data, GitIndexEntry[] entries, long writtenSeconds, uint writtenNanoseconds, string? rootTree)
    {
        _data = data;
        _entries = entries;
        _writtenSeconds = writtenSeconds;
        _writtenNanoseconds = writtenNanoseconds;
        RootTree = rootTree;
    }

    /// <summary>The entries, in the index's order (by path, then stage).</summary>
    public ReadOnlySpan<GitIndexEntry> Entries => _entries;

    /// <summary>The cached root tree's id (hex), or null when the index has none or it is invalidated.</summary>
    public string? RootTree { get; }

    /// <summary>Reads <c>GIT_DIR/index</c>; null when it is missing or not understood.</summary>
    public static GitIndex? Read(string gitDirectory)
    {
        try
        {
            var path = Path.Combine(gitDirectory, "index");
            if (!FileStat.TryGet(path, out var stat) || !stat.IsRegularFile)
            {
                return null;
            }

            // Read after the stat: an index rewritten in between is newer than the time taken, which only makes
            // more of its entries racily clean (re-read), never fewer.
            return Parse(File.ReadAllBytes(path), stat.MtimeSeconds, stat.MtimeNanoseconds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Parses the bytes of an index written at the given time; null when not understood.</summary>
    /// <exception cref="ArgumentException">The bytes are cut short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static GitIndex? Parse(byte[] data, long writtenSeconds, uint writtenNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(data);
        ReadOnlySpan<byte> index = data;
        if (index.Length < 12 + ObjectIdLength || !index[..4].SequenceEqual("DIRC"u8))
        {
            return null;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(index[4..]);
        if (version is not (2 or 3 or 4))
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(index[8..]);
        var entries = new GitIndexEntry[checked((int)Math.Min(count, (uint)(index.Length / FixedEntryLength)))];
        if (entries.Length != count)
        {
            return null;
        }

        var previousName = new List<byte>();
        var offset = 12;
        for (var i = 0; i < entries.Length; i++)
        {
            var start = offset;
            var entry = index[start..];
            var flags = BinaryPrimitives.ReadUInt16BigEndian(entry[60..]);
            var headerLength = FixedEntryLength;
            ushort extendedFlags = 0;
            if ((flags & ExtendedFlag) != 0)
            {
                extendedFlags = BinaryPrimitives.ReadUInt16BigEndian(entry[62..]);
                headerLength += 2;
            }

            string name;
            if (version == 4)
            {
                // The path is the previous one less N bytes, then a NUL-terminated suffix; no padding.
                var (strip, varintLength) = ReadVarint(entry[headerLength..]);
                var suffix = entry[(headerLength + varintLength)..];
                var end = suffix.IndexOf((byte)0);
                if (end < 0 || strip > (ulong)previousName.Count)
                {
                    return null;
                }

                previousName.RemoveRange(previousName.Count - (int)strip, (int)strip);
                previousName.AddRange(suffix[..end]);
                name = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(previousName));
                offset += headerLength + varintLength + end + 1;
            }
            else
            {
                var nameLength = flags & NameLengthMask;
                if (nameLength == NameLengthMask)
                {
                    nameLength = entry[headerLength..].IndexOf((byte)0);
                }

                name = Encoding.UTF8.GetString(entry.Slice(headerLength, nameLength));
                offset += (headerLength + nameLength + 8) & ~7; // padded with 1 to 8 NULs to a multiple of 8
            }

            entries[i] = new GitIndexEntry(
                name,
                BinaryPrimitives.ReadUInt32BigEndian(entry[24..]),
                BinaryPrimitives.ReadUInt32BigEndian(entry[36..]),
                BinaryPrimitives.ReadUInt32BigEndian(entry[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(entry[12..]),
                BinaryPrimitives.ReadUInt32BigEndian(entry[..]),
                BinaryPrimitives.ReadUInt32BigEndian(entry[4..]),
                BinaryPrimitives.ReadUInt32BigEndian(entry[20..]),
                flags,
                extendedFlags,
                start + 40);
        }

        string? rootTree = null;
        for (var extensions = index[offset..^ObjectIdLength]; extensions.Length >= 8;)
        {
            var signature = extensions[..4];
            var size = checked((int)BinaryPrimitives.ReadUInt32BigEndian(extensions[4..]));
            if (signature.SequenceEqual("link"u8) || signature.SequenceEqual("sdir"u8))
            {
                return null; // split or sparse index: the entries above are not the whole story
            }

            if (signature.SequenceEqual("TREE"u8))
            {
                rootTree = RootTreeOf(extensions.Slice(8, size));
            }

            extensions = extensions[(8 + size)..];
        }

        return new GitIndex(data, entries, writtenSeconds, writtenNanoseconds, rootTree);
    }

    /// <summary>
    /// Racily clean: the entry's recorded time is not before the index's, so a change made after the index was written
    /// (in the same timestamp tick) could hide behind an equal stat. Compared to the nanosecond, as git does (USE_NSEC).
    /// </summary>
    public bool IsRacy(in GitIndexEntry entry) =>
        entry.MtimeSeconds > _writtenSeconds || (entry.MtimeSeconds == _writtenSeconds && entry.MtimeNanoseconds >= _writtenNanoseconds);

    /// <summary>The entry's object id (20 bytes).</summary>
    public ReadOnlySpan<byte> ObjectId(in GitIndexEntry entry) => _data.AsSpan(entry.ObjectIdOffset, ObjectIdLength);

    /// <summary>True when the index holds <paramref name="path"/> (repository-relative, <c>/</c>-separated) in any stage.</summary>
    public bool Contains(ReadOnlySpan<char> path) => ByPath().GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(path);

    /// <summary>
    /// The blob id (hex) of <paramref name="path"/> when the index's stat data proves that the file <paramref name="stat"/>
    /// describes holds that blob's bytes: the only stage-0 entry of a regular file (not intent-to-add, not
    /// skip-worktree or assume-unchanged, whose stat data git does not keep), the same size, modification time to the
    /// nanosecond, and where the stat has them the same change time and inode (git's default <c>core.checkStat</c>
    /// and <c>core.trustctime</c>: a same-size rewrite whose modification time was put back still has a new change
    /// time), and not racily clean; otherwise null (read the file).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? CleanBlobId(ReadOnlySpan<char> path, in FileStat stat)
    {
        if (!stat.IsRegularFile || !ByPath().GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(path, out var at) || at == NotUnique)
        {
            return null;
        }

        ref readonly var entry = ref _entries[at];
        var proven = entry.IsRegularFile && entry.Stage == 0 && !entry.IntentToAdd && !entry.SkipWorktree && !entry.AssumeValid
            && entry.Size == (uint)stat.Size
            && entry.MtimeSeconds == (uint)stat.MtimeSeconds
            && (stat.HasChangeData
                ? entry.MtimeNanoseconds == stat.MtimeNanoseconds && entry.CtimeSeconds == (uint)stat.CtimeSeconds
                    && entry.CtimeNanoseconds == stat.CtimeNanoseconds && entry.Inode == (uint)stat.Inode
                : entry.MtimeNanoseconds / 100 == stat.MtimeNanoseconds / 100)
            && !IsRacy(entry);
        return proven ? Convert.ToHexStringLower(ObjectId(entry)) : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dictionary<string, int> ByPath()
    {
        return Volatile.Read(ref _byPath) ?? Build();

        Dictionary<string, int> Build()
        {
            var byPath = new Dictionary<string, int>(_entries.Length, StringComparer.Ordinal);
            for (var i = 0; i < _entries.Length; i++)
            {
                // An unmerged path has several stages: no one blob is it.
                byPath[_entries[i].Path] = byPath.ContainsKey(_entries[i].Path) ? NotUnique : i;
            }

            Interlocked.CompareExchange(ref _byPath, byPath, null);
            return _byPath;
        }
    }

    /// <summary>git's offset varint (<c>decode_varint</c>): 7 bits a byte, most significant first, each continuation adding one.</summary>
    private static (ulong Value, int Length) ReadVarint(ReadOnlySpan<byte> bytes)
    {
        var length = 0;
        var c = bytes[length++];
        var value = (ulong)(c & 127);
        while ((c & 128) != 0)
        {
            value += 1;
            if (value > (ulong.MaxValue >> 7))
            {
                throw new OverflowException("index path prefix length overflows");
            }

            c = bytes[length++];
            value = (value << 7) + (ulong)(c & 127);
        }

        return (value, length);
    }

    /// <summary>The cache-tree extension's root entry: "" NUL, "&lt;entries&gt; &lt;subtrees&gt;\n", then the tree id unless the count is -1.</summary>
    private static string? RootTreeOf(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0 || data[0] != 0)
        {
            return null;
        }

        var newline = data.IndexOf((byte)'\n');
        return newline < 0 || data[1] == (byte)'-' || data.Length < newline + 1 + ObjectIdLength
            ? null
            : Convert.ToHexStringLower(data.Slice(newline + 1, ObjectIdLength));
    }
}

/// <summary>One entry of <see cref="GitIndex"/>: its path, mode and the stat data git cached for it (32-bit, as stored).</summary>
internal readonly record struct GitIndexEntry(
    string Path, uint Mode, uint Size, uint MtimeSeconds, uint MtimeNanoseconds, uint CtimeSeconds, uint CtimeNanoseconds, uint Inode,
    ushort Flags, ushort ExtendedFlags, int ObjectIdOffset)
{
    private const uint TypeMask = 0xF000;

    /// <summary>A regular file (100644 or 100755).</summary>
    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    /// <summary>A submodule's commit.</summary>
    public bool IsGitlink => (Mode & TypeMask) == 0xE000;

    /// <summary>Recorded as executable.</summary>
    public bool IsExecutable => (Mode & 0x49) != 0;

    /// <summary>The merge stage: 0, or 1 to 3 for an unmerged path.</summary>
    public int Stage => (Flags & 0x3000) >> 12;

    /// <summary>assume-unchanged (<c>CE_VALID</c>): git does not compare the file.</summary>
    public bool AssumeValid => (Flags & 0x8000) != 0;

    /// <summary>skip-worktree (sparse checkout): git does not compare the file.</summary>
    public bool SkipWorktree => (ExtendedFlags & 0x4000) != 0;

    /// <summary>intent-to-add (<c>git add -N</c>): the blob id is the empty blob's, whatever the file holds.</summary>
    public bool IntentToAdd => (ExtendedFlags & 0x2000) != 0;
}
