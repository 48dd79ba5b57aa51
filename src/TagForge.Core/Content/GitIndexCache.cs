using System.Buffers.Binary;
using System.Text;

namespace TagForge.Content;

/// <summary>
/// git's index as a stat cache for the content identity: for a regular file whose size and mtime still match its
/// index entry (and was not racily clean when the index was written), the entry's blob id is the git blob hash of
/// the file's bytes, so the file need not be read. Only valid where no checkout filter can make the bytes differ
/// from the blob (the caller checks: no <c>.gitattributes</c>, no <c>core.autocrlf</c>); anything this reader does
/// not understand (index v4, split or sparse index) makes it empty, and every file is read.
/// </summary>
internal sealed class GitIndexCache
{
    private const int Sha1Length = 20;
    private const int FixedEntryLength = 62;
    private const ushort ExtendedFlag = 0x4000;
    private const ushort NameLengthMask = 0x0FFF;
    private const ushort StageMask = 0x3000;
    private const uint ModeTypeMask = 0xF000;
    private const uint RegularFileType = 0x8000;

    private readonly Dictionary<string, Entry> _entries;

    private GitIndexCache(Dictionary<string, Entry> entries, HashSet<string> paths, bool hasAttributes)
    {
        _entries = entries;
        Paths = paths;
        HasAttributesFiles = hasAttributes;
    }

    /// <summary>An empty cache: every file is read.</summary>
    public static GitIndexCache Empty { get; } = new(new Dictionary<string, Entry>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), false);

    /// <summary>Every path the index tracks (files, links, submodules), repository-relative.</summary>
    public HashSet<string> Paths { get; }

    /// <summary>True when the index holds a <c>.gitattributes</c> file (a filter may apply).</summary>
    public bool HasAttributesFiles { get; }

    /// <summary>Reads <c>GIT_DIR/index</c>; <see cref="Empty"/> when it is missing or not understood.</summary>
    public static GitIndexCache Read(string gitDirectory)
    {
        try
        {
            var path = Path.Combine(gitDirectory, "index");
            var info = new FileInfo(path);
            return info.Exists ? Parse(File.ReadAllBytes(path), info.LastWriteTimeUtc) : Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException)
        {
            return Empty;
        }
    }

    /// <summary>The blob id (hex) of <paramref name="repositoryPath"/> when the stat proves the file unchanged; else null.</summary>
    public string? CleanBlob(string repositoryPath, long length, DateTime lastWriteUtc)
    {
        if (!_entries.TryGetValue(repositoryPath, out var entry) || entry.Racy || entry.Size != (uint)length)
        {
            return null;
        }

        var seconds = new DateTimeOffset(lastWriteUtc).ToUnixTimeSeconds();
        return seconds == entry.MtimeSeconds && lastWriteUtc.Ticks % TimeSpan.TicksPerSecond == entry.MtimeNanoseconds / 100
            ? entry.Blob
            : null;
    }

    private static GitIndexCache Parse(ReadOnlySpan<byte> index, DateTime indexWriteTime)
    {
        if (index.Length < 12 || !index[..4].SequenceEqual("DIRC"u8) || BinaryPrimitives.ReadUInt32BigEndian(index[4..]) is not (2 or 3))
        {
            return Empty;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(index[8..]);
        var indexSeconds = new DateTimeOffset(indexWriteTime).ToUnixTimeSeconds();
        var indexNanoseconds = (uint)(indexWriteTime.Ticks % TimeSpan.TicksPerSecond * 100);
        var entries = new Dictionary<string, Entry>((int)Math.Min(count, 1_000_000), StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var attributes = false;
        var offset = 12;
        for (var i = 0; i < count; i++)
        {
            var entry = index[offset..];
            var mtimeSeconds = BinaryPrimitives.ReadUInt32BigEndian(entry[8..]);
            var mtimeNanoseconds = BinaryPrimitives.ReadUInt32BigEndian(entry[12..]);
            var mode = BinaryPrimitives.ReadUInt32BigEndian(entry[24..]);
            var size = BinaryPrimitives.ReadUInt32BigEndian(entry[36..]);
            var flags = BinaryPrimitives.ReadUInt16BigEndian(entry[60..]);
            var headerLength = FixedEntryLength + ((flags & ExtendedFlag) != 0 ? 2 : 0);
            var nameLength = flags & NameLengthMask;
            if (nameLength == NameLengthMask)
            {
                nameLength = entry[headerLength..].IndexOf((byte)0);
            }

            offset += (headerLength + nameLength + 8) & ~7;
            var name = Encoding.UTF8.GetString(entry.Slice(headerLength, nameLength));
            paths.Add(name);
            attributes |= name == ".gitattributes" || name.EndsWith("/.gitattributes", StringComparison.Ordinal);
            if ((mode & ModeTypeMask) != RegularFileType || (flags & StageMask) != 0)
            {
                continue;
            }

            // Racily clean: written in the same instant as the index or after it; a change could hide behind the stat.
            var racy = mtimeSeconds > indexSeconds || (mtimeSeconds == indexSeconds && mtimeNanoseconds >= indexNanoseconds);
            entries[name] = new Entry(size, mtimeSeconds, mtimeNanoseconds, racy, Convert.ToHexStringLower(entry.Slice(40, Sha1Length)));
        }

        for (var extensions = index[offset..^Sha1Length]; extensions.Length >= 8;)
        {
            var signature = extensions[..4];
            if (signature.SequenceEqual("link"u8) || signature.SequenceEqual("sdir"u8))
            {
                return Empty; // split or sparse index: the entries above are not the whole story
            }

            extensions = extensions[(8 + (int)BinaryPrimitives.ReadUInt32BigEndian(extensions[4..]))..];
        }

        return new GitIndexCache(entries, paths, attributes);
    }

    private readonly record struct Entry(uint Size, uint MtimeSeconds, uint MtimeNanoseconds, bool Racy, string Blob);
}
