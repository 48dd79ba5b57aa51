using System.Text;
using TagForge.Errors;

namespace TagForge.IO;

/// <summary>
/// Writes files so that readers see the old content or the new, never half of either: the text goes to a
/// temporary file in the same directory (same file system, so the rename is atomic) and replaces the target.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> (UTF-8, no BOM).</summary>
    public static void WriteAllText(string path, string content) => WriteAllBytes(path, Utf8NoBom.GetBytes(content));

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content) => WriteAllBytes(path, content, path);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>; <paramref name="name"/> (the path as the user gave it) names it in messages.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, string name)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? ".";
        if (!Directory.Exists(directory))
        {
            // Said plainly: the write error would name the temporary file, which the user never asked for.
            throw new BadInputException($"cannot write {name}: the directory {directory} does not exist");
        }

        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot write {name}: {ex.Message}", ex);
        }
        finally
        {
            // Only left behind when the write or the rename failed.
            TryDelete(temporary);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing was written there, or the directory refuses us: either way there is nothing to clean.
        }
    }
}
