using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;

namespace TagForge.Testing;

/// <summary>One file-system entry of an image as the engine stored it: kind (<c>file</c>, <c>dir</c>, <c>link</c>), permission bits, and a file's SHA-256 or a link's target.</summary>
public sealed record ImageEntry(string Kind, int Mode, string Content);

/// <summary>
/// The files of images read back from the engine with <c>docker save</c> (the truth of what a build put in them):
/// the saved tar's <c>manifest.json</c>, then each image's layers applied in order (whiteouts remove).
/// </summary>
public static class SavedImages
{
    /// <summary>Saves <paramref name="tags"/> with one <c>docker save</c> and returns each tag's entries by path (no leading <c>/</c>, no trailing <c>/</c>).</summary>
    public static async Task<Dictionary<string, SortedDictionary<string, ImageEntry>>> ReadAsync(string docker, IReadOnlyList<string> tags)
    {
        using var directory = new TempDirectory("save");
        var archive = directory.Combine("images.tar");
        await ProcessRunner.RunCheckedAsync(docker, ["save", "-o", archive, .. tags]);
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        // docker save stores a layer two images share once and links the other layer's file to it.
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var stream = File.OpenRead(archive))
        {
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                {
                    var target = entry.EntryType == TarEntryType.HardLink
                        ? entry.LinkName
                        : Path.GetRelativePath(".", Path.Combine(Path.GetDirectoryName(entry.Name) ?? "", entry.LinkName)).Replace('\\', '/');
                    links[entry.Name] = target;
                }
                else if (entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    members[entry.Name] = copy.ToArray();
                }
            }
        }

        foreach (var (name, target) in links)
        {
            if (members.TryGetValue(target, out var bytes))
            {
                members[name] = bytes;
            }
        }

        var result = new Dictionary<string, SortedDictionary<string, ImageEntry>>(StringComparer.Ordinal);
        using var manifest = JsonDocument.Parse(members["manifest.json"]);
        foreach (var image in manifest.RootElement.EnumerateArray())
        {
            var files = new SortedDictionary<string, ImageEntry>(StringComparer.Ordinal);
            foreach (var layer in image.GetProperty("Layers").EnumerateArray())
            {
                Apply(members[layer.GetString()!], files);
            }

            foreach (var tag in image.GetProperty("RepoTags").EnumerateArray())
            {
                result[tag.GetString()!] = files;
            }
        }

        return result;
    }

    private static void Apply(byte[] layer, SortedDictionary<string, ImageEntry> files)
    {
        using var reader = new TarReader(new MemoryStream(layer));
        while (reader.GetNextEntry() is { } entry)
        {
            var path = entry.Name.TrimStart('.', '/').TrimEnd('/');
            var name = Path.GetFileName(path);
            if (name.StartsWith(".wh.", StringComparison.Ordinal))
            {
                var removed = Path.Combine(Path.GetDirectoryName(path) ?? "", name[4..]);
                foreach (var key in files.Keys.Where(k => k == removed || k.StartsWith(removed + "/", StringComparison.Ordinal)).ToList())
                {
                    files.Remove(key);
                }

                continue;
            }

            var mode = (int)entry.Mode & 0xFFF;
            files[path] = entry.EntryType switch
            {
                TarEntryType.Directory => new ImageEntry("dir", mode, ""),
                TarEntryType.SymbolicLink => new ImageEntry("link", 0, entry.LinkName),
                TarEntryType.HardLink => files[entry.LinkName.TrimStart('.', '/')],
                _ => new ImageEntry("file", mode, entry.DataStream is { } data ? Convert.ToHexStringLower(SHA256.HashData(data)) : Convert.ToHexStringLower(SHA256.HashData([]))),
            };
        }
    }
}
