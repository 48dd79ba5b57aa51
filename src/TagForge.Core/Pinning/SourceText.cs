using System.Text;
using TagForge.Errors;

namespace TagForge.Pinning;

/// <summary>
/// A file's text as read: the UTF-8 BOM (kept aside so offsets start at the first character) and the text itself.
/// Writing back re-encodes exactly what was read, so every unchanged byte stays the same.
/// </summary>
public sealed class SourceText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private int[]? _lineStarts;

    private SourceText(string text, bool hasBom)
    {
        Text = text;
        HasBom = hasBom;
    }

    /// <summary>The text without the BOM.</summary>
    public string Text { get; }

    /// <summary>The file started with a UTF-8 byte order mark.</summary>
    public bool HasBom { get; }

    /// <summary>The line break the file uses (<c>\r\n</c> when its first line break is one), for inserted lines.</summary>
    public string NewLine
    {
        get
        {
            var lf = Text.IndexOf('\n', StringComparison.Ordinal);
            return lf > 0 && Text[lf - 1] == '\r' ? "\r\n" : "\n";
        }
    }

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8; <paramref name="name"/> names the file in errors.</summary>
    /// <exception cref="BadInputException">The bytes are not UTF-8.</exception>
    public static SourceText Decode(ReadOnlySpan<byte> bytes, string name)
    {
        var hasBom = bytes.StartsWith(Bom);
        try
        {
            return new SourceText(StrictUtf8.GetString(hasBom ? bytes[Bom.Length..] : bytes), hasBom);
        }
        catch (DecoderFallbackException ex)
        {
            throw new BadInputException($"{name}: not UTF-8 text ({ex.Message})", ex);
        }
    }

    /// <summary>The body's bytes (no BOM), for readers that take UTF-8.</summary>
    internal static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Bom) ? bytes[Bom.Length..] : bytes;

    /// <summary><paramref name="text"/> encoded as this file was: UTF-8, with the BOM when it had one.</summary>
    public byte[] Encode(string text)
    {
        var prefix = HasBom ? Bom.Length : 0;
        var bytes = new byte[prefix + Encoding.UTF8.GetByteCount(text)];
        if (HasBom)
        {
            Bom.CopyTo(bytes);
        }

        Encoding.UTF8.GetBytes(text, bytes.AsSpan(prefix));
        return bytes;
    }

    /// <summary>1-based line and column (in characters) of <paramref name="offset"/>.</summary>
    public (int Line, int Column) Position(int offset)
    {
        _lineStarts ??= LineStarts(Text);
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private static int[] LineStarts(string text)
    {
        // Counted first: one array of the right size, not a list grown and copied, for each of thousands of files.
        var starts = new int[text.AsSpan().Count('\n') + 1];
        var line = 1;
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            starts[line++] = i + 1;
        }

        return starts;
    }
}
