using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.MemoryMappedFiles;
using System.Text;

namespace TagForge.Git;

/// <summary>
/// Reads version tags and commit parents straight from the <c>.git</c> directory, so <c>{height}</c> and
/// <c>{version}</c> on a tagged history do not load libgit2 (and the OpenSSL it opens): that loading was most of
/// their time once the walk stopped at the tags. Loose objects and undeltified packed ones (pack index v2, mapped
/// once); anything else (a deltified commit, a reftable, SHA-256) answers null and the caller asks libgit2.
/// </summary>
internal sealed class GitHistoryFiles : IDisposable
{
    private const int Sha1Length = 20;
    private const int CommitType = 1;
    private const int TagType = 4;
    private const int MaxPeel = 5;
    private const int HeaderBytes = 2048;
    private readonly string _commonDirectory;
    private List<Pack>? _packs;

    public GitHistoryFiles(string commonDirectory) => _commonDirectory = commonDirectory;

    /// <summary>Every tag as (name without <c>refs/tags/</c>, the commit it peels to); null when one cannot be read here.</summary>
    public List<(string Name, string Commit)>? TryReadTags()
    {
        try
        {
            var targets = new Dictionary<string, (string Sha, string? Peeled)>(StringComparer.Ordinal);
            var packed = Path.Combine(_commonDirectory, "packed-refs");
            if (File.Exists(packed))
            {
                string? last = null;
                foreach (var line in File.ReadLines(packed))
                {
                    if (line.StartsWith('^') && last is not null)
                    {
                        targets[last] = (targets[last].Sha, line[1..].Trim());
                    }
                    else if (line.Length > 41 && line[40] == ' ' && line.AsSpan(41).StartsWith("refs/tags/"))
                    {
                        last = line[(41 + "refs/tags/".Length)..];
                        targets[last] = (line[..40], null);
                    }
                    else
                    {
                        last = null;
                    }
                }
            }

            var tagDirectory = Path.Combine(_commonDirectory, "refs", "tags");
            if (Directory.Exists(tagDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(tagDirectory, "*", SearchOption.AllDirectories))
                {
                    var sha = File.ReadAllText(file).Trim();
                    if (sha.Length != 40)
                    {
                        return null;
                    }

                    targets[Path.GetRelativePath(tagDirectory, file).Replace('\\', '/')] = (sha, null);
                }
            }

            var tags = new List<(string, string)>(targets.Count);
            foreach (var (name, (sha, peeled)) in targets)
            {
                // Only v-prefixed names can be version tags: peeling the others would be wasted reads.
                if (!name.StartsWith('v'))
                {
                    continue;
                }

                var commit = peeled ?? Peel(sha);
                if (commit is null)
                {
                    return null;
                }

                if (commit.Length > 0)
                {
                    tags.Add((name, commit));
                }
            }

            return tags;
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return null;
        }
    }

    /// <summary>The parents of commit <paramref name="sha"/>, or null when it cannot be read here.</summary>
    public string[]? TryReadParents(string sha)
    {
        try
        {
            if (ReadObject(sha) is not (CommitType, { } body))
            {
                return null;
            }

            // "tree X\n", then "parent X\n" lines, then "author ...": the header must be complete in what was read.
            var parents = new List<string>(2);
            var lines = body.Split('\n');
            if (lines.Length < 3 || !lines[0].StartsWith("tree ", StringComparison.Ordinal))
            {
                return null;
            }

            for (var i = 1; i < lines.Length - 1; i++)
            {
                if (!lines[i].StartsWith("parent ", StringComparison.Ordinal))
                {
                    return [.. parents];
                }

                var parent = lines[i]["parent ".Length..];
                if (parent.Length != 40)
                {
                    return null;
                }

                parents.Add(parent);
            }

            return null; // the parents did not end within the bytes read (an octopus merge): libgit2 reads it
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var pack in _packs ?? [])
        {
            pack.Dispose();
        }
    }

    /// <summary>The commit a tag names (through annotated tags); "" when it names no commit; null when unreadable here.</summary>
    private string? Peel(string sha)
    {
        for (var depth = 0; depth < MaxPeel; depth++)
        {
            switch (ReadObject(sha))
            {
                case (CommitType, _):
                    return sha;
                case (TagType, { } body) when body.StartsWith("object ", StringComparison.Ordinal) && body.Length > 47:
                    sha = body[7..47];
                    if (!body.AsSpan(47).StartsWith("\ntype "))
                    {
                        return null;
                    }

                    break;
                case (int type, _) when type > 0:
                    return ""; // a tag of a tree or blob
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>An object's type and its first <see cref="HeaderBytes"/> bytes, or (0, null) when not stored loose or undeltified.</summary>
    private (int Type, string? Start) ReadObject(string sha)
    {
        if (sha.Length != 40)
        {
            return (0, null);
        }

        var loose = Path.Combine(_commonDirectory, "objects", sha[..2], sha[2..]);
        if (File.Exists(loose))
        {
            using var file = File.OpenRead(loose);
            using var inflated = new ZLibStream(file, CompressionMode.Decompress);
            var start = ReadStart(inflated);
            var nul = start.IndexOf('\0', StringComparison.Ordinal);
            var type = nul < 0 ? 0 : start.AsSpan(0, nul) switch
            {
                var header when header.StartsWith("commit ") => CommitType,
                var header when header.StartsWith("tag ") => TagType,
                _ => 2,
            };
            return nul < 0 ? (0, null) : (type, start[(nul + 1)..]);
        }

        var id = Convert.FromHexString(sha);
        foreach (var pack in Packs())
        {
            if (pack.Find(id) is { } offset)
            {
                return pack.Read(offset);
            }
        }

        return (0, null);
    }

    private List<Pack> Packs()
    {
        if (_packs is null)
        {
            _packs = [];
            var directory = Path.Combine(_commonDirectory, "objects", "pack");
            foreach (var index in Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.idx") : [])
            {
                if (Pack.Open(index) is { } pack)
                {
                    _packs.Add(pack);
                }
            }
        }

        return _packs;
    }

    private static string ReadStart(Stream stream)
    {
        var buffer = new byte[HeaderBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var chunk = stream.Read(buffer.AsSpan(read));
            if (chunk == 0)
            {
                break;
            }

            read += chunk;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static bool IsReadFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or InvalidDataException or FormatException or IndexOutOfRangeException;

    /// <summary>
    /// A pack and its version 2 index, the index mapped into memory once for the whole walk and read through one
    /// pointer (the accessor's per-byte reads took a handle reference each: 40 % of a tagged <c>{height}</c>).
    /// </summary>
    private sealed unsafe class Pack : IDisposable
    {
        private const long NamesStart = 8 + (256 * 4);
        private readonly MemoryMappedFile _indexFile;
        private readonly MemoryMappedViewAccessor _index;
        private readonly byte* _base;
        private readonly long _length;
        private readonly string _packPath;
        private readonly long _count;
        private FileStream? _pack;

        private Pack(MemoryMappedFile indexFile, MemoryMappedViewAccessor index, byte* start, long length, string packPath)
        {
            _indexFile = indexFile;
            _index = index;
            _base = start;
            _length = length;
            _packPath = packPath;
            _count = UInt32At(8 + (255 * 4));
        }

        public static Pack? Open(string indexPath)
        {
            var file = MemoryMappedFile.CreateFromFile(indexPath, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset;
            var length = new FileInfo(indexPath).Length;
            if (length < NamesStart + Sha1Length
                || BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(pointer, 4)) != 0xFF744F63
                || BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(pointer + 4, 4)) != 2)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                view.Dispose();
                file.Dispose();
                return null;
            }

            return new Pack(file, view, pointer, length, Path.ChangeExtension(indexPath, ".pack"));
        }

        public long? Find(byte[] id)
        {
            long low = id[0] == 0 ? 0 : UInt32At(8 + ((id[0] - 1) * 4));
            long high = UInt32At(8 + (id[0] * 4));
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                var order = Bytes(NamesStart + (middle * Sha1Length), Sha1Length).SequenceCompareTo(id);
                if (order == 0)
                {
                    var offsetsStart = NamesStart + (_count * Sha1Length) + (_count * 4);
                    var offset = UInt32At(offsetsStart + (middle * 4));
                    if ((offset & 0x8000_0000) == 0)
                    {
                        return offset;
                    }

                    var large = offsetsStart + (_count * 4) + ((offset & 0x7FFF_FFFF) * 8);
                    return ((long)UInt32At(large) << 32) | UInt32At(large + 4);
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

        public (int Type, string? Start) Read(long offset)
        {
            _pack ??= new FileStream(_packPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
            _pack.Position = offset;
            var first = _pack.ReadByte();
            var type = (first >> 4) & 7;
            if (first < 0 || type is not (CommitType or TagType))
            {
                return (0, null); // a delta (or a tree or blob, which nothing here asks for)
            }

            for (var next = first; (next & 0x80) != 0;)
            {
                next = _pack.ReadByte();
                if (next < 0)
                {
                    return (0, null);
                }
            }

            using var inflated = new ZLibStream(_pack, CompressionMode.Decompress, leaveOpen: true);
            return (type, ReadStart(inflated));
        }

        public void Dispose()
        {
            _pack?.Dispose();
            _index.SafeMemoryMappedViewHandle.ReleasePointer();
            _index.Dispose();
            _indexFile.Dispose();
        }

        /// <summary>Bytes of the index; a position past its end (a corrupt index) throws, which callers treat as "not readable here".</summary>
        private ReadOnlySpan<byte> Bytes(long position, int length) =>
            position >= 0 && position + length <= _length ? new ReadOnlySpan<byte>(_base + position, length) : throw new InvalidDataException("pack index too short");

        private uint UInt32At(long position) => BinaryPrimitives.ReadUInt32BigEndian(Bytes(position, 4));
    }
}
