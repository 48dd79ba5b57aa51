using System.Diagnostics.CodeAnalysis;

namespace TagForge.Values;

/// <summary>
/// An image tag as the OCI distribution spec allows it: <c>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}</c>.
/// </summary>
public sealed record ImageTag
{
    /// <summary>The longest tag a registry accepts.</summary>
    public const int MaxLength = 128;

    private ImageTag(string value) => Value = value;

    /// <summary>The tag's text.</summary>
    public string Value { get; }

    /// <summary>Parses a tag, or fails with a reason.</summary>
    /// <exception cref="ArgumentException">It is not a valid tag.</exception>
    public static ImageTag Parse(string text) =>
        TryParse(text, out var tag) ? tag : throw new ArgumentException(Explain(text), nameof(text));

    /// <summary>Parses a tag.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageTag? tag)
    {
        tag = text is not null && Explain(text) is null ? new ImageTag(text) : null;
        return tag is not null;
    }

    /// <summary>True for a character allowed anywhere in a tag.</summary>
    public static bool IsTagCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';

    /// <summary>True for a character allowed first in a tag.</summary>
    public static bool IsFirstTagCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Why <paramref name="text"/> is not a valid tag, or <see langword="null"/> when it is.</summary>
    public static string? Explain(string text)
    {
        if (text.Length == 0)
        {
            return "a tag cannot be empty";
        }

        if (text.Length > MaxLength)
        {
            return $"a tag has at most {MaxLength} characters; this one has {text.Length}";
        }

        if (!IsFirstTagCharacter(text[0]))
        {
            return $"a tag must start with a letter, digit or '_', not {Describe(text[0])}";
        }

        return FirstInvalidCharacter(text) is { } bad ? $"{Describe(bad)} is not allowed in a tag (letters, digits, '_', '.', '-')" : null;
    }

    /// <summary>
    /// The first character of <paramref name="text"/> a tag cannot hold, or <see langword="null"/>. (Not
    /// <c>FirstOrDefault</c>: its "none" is <c>'\0'</c>, which let a NUL through as if the text were clean.)
    /// </summary>
    public static char? FirstInvalidCharacter(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (!IsTagCharacter(c))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>A character as a message shows it: <c>'/'</c>, or <c>U+0000</c> for one a terminal would not print.</summary>
    public static string Describe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u00AD' or '\u200B' or '\uFEFF'
            ? $"U+{(int)c:X4}"
            : $"'{c}'";

    /// <inheritdoc />
    public override string ToString() => Value;
}
