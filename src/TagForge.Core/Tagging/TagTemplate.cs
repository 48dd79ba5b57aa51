using System.Globalization;
using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Tagging;

/// <summary>
/// A parsed tag template such as <c>v.{sha:8}_{time:yyyyMMddHHmm}-{build}</c>. Parsing checks everything that
/// can be checked without git or CI (placeholder names, arguments, time formats, literal characters), so a bad
/// template fails before any work is done.
/// </summary>
public sealed class TagTemplate
{
    /// <summary>The time format used by <c>{time}</c> and <c>{commit-time}</c> without one.</summary>
    public const string DefaultTimeFormat = "yyyyMMddHHmmss";

    /// <summary>The argument of <c>{time:unix}</c>: seconds since 1970-01-01 UTC.</summary>
    public const string UnixTimeFormat = "unix";

    private const int MaxShaLength = 64;

    private static readonly Dictionary<string, PlaceholderKind> Names = new(StringComparer.Ordinal)
    {
        ["sha"] = PlaceholderKind.Sha,
        ["branch"] = PlaceholderKind.Branch,
        ["build"] = PlaceholderKind.Build,
        ["time"] = PlaceholderKind.Time,
        ["commit-time"] = PlaceholderKind.CommitTime,
        ["version"] = PlaceholderKind.Version,
        ["height"] = PlaceholderKind.Height,
        ["env"] = PlaceholderKind.Env,
        ["seq"] = PlaceholderKind.Seq,
    };

    private TagTemplate(string text, IReadOnlyList<TemplateSegment> segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Its literal and placeholder pieces, in order.</summary>
    public IReadOnlyList<TemplateSegment> Segments { get; }

    /// <summary>The placeholders the template uses.</summary>
    public IEnumerable<PlaceholderSegment> Placeholders => Segments.OfType<PlaceholderSegment>();

    /// <summary>True when the template uses <paramref name="kind"/>.</summary>
    public bool Uses(PlaceholderKind kind) => Placeholders.Any(p => p.Kind == kind);

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="BadInputException">The template is malformed; the message names the faulty part.</exception>
    public static TagTemplate Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BadInputException("the tag template is empty");
        }

        if (text.IndexOfAnyInRange('\0', '\u001f') is var control and >= 0 || (control = text.IndexOf('\u007f', StringComparison.Ordinal)) >= 0)
        {
            // Before any message quotes the text: a NUL or an escape sequence would reach the terminal as it is.
            throw new BadInputException($"template '{Printable(text)}' has {ImageTag.Describe(text[control])} at position {control + 1}; tags allow letters, digits, '_', '.' and '-'");
        }

        var segments = new List<TemplateSegment>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf('{', position);
            var close = text.IndexOf('}', position);
            if (close >= 0 && (open < 0 || close < open))
            {
                throw new BadInputException($"template '{text}' has '}}' without '{{' at position {close + 1}");
            }

            if (open < 0)
            {
                segments.Add(Literal(text, text[position..]));
                break;
            }

            if (open > position)
            {
                segments.Add(Literal(text, text[position..open]));
            }

            if (close < 0)
            {
                throw new BadInputException($"template '{text}' has an unclosed '{{' at position {open + 1}");
            }

            var nestedOpen = text.IndexOf('{', open + 1, close - open - 1);
            if (nestedOpen >= 0)
            {
                throw new BadInputException($"template '{text}' has an unclosed '{{' at position {open + 1}");
            }

            segments.Add(Placeholder(text[open..(close + 1)]));
            position = close + 1;
        }

        if (segments[0] is LiteralSegment { Text: var first } && !ImageTag.IsFirstTagCharacter(first[0]))
        {
            throw new BadInputException($"template '{text}' starts with '{first[0]}'; a tag must start with a letter, digit or '_'");
        }

        return new TagTemplate(text, segments);
    }

    /// <summary>Formats a UTC time for a <c>{time:…}</c> or <c>{commit-time:…}</c> placeholder.</summary>
    public static string FormatTime(DateTimeOffset time, string? format) => format == UnixTimeFormat
        ? time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
        : time.UtcDateTime.ToString(format ?? DefaultTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The length <c>{sha:N}</c> asks for, or <see langword="null"/> for the whole sha.</summary>
    public static int? ShaLength(PlaceholderSegment placeholder) =>
        placeholder.Argument is null ? null : int.Parse(placeholder.Argument, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>The text with characters a terminal would not print shown as <c>U+XXXX</c>, so a message stays one readable line.</summary>
    private static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? ImageTag.Describe(c) : c.ToString())) : text;

    private static LiteralSegment Literal(string template, string literal)
    {
        return ImageTag.FirstInvalidCharacter(literal) is not { } bad
            ? new LiteralSegment(literal)
            : throw new BadInputException($"template '{Printable(template)}' has {ImageTag.Describe(bad)} in its literal text '{Printable(literal)}'; tags allow letters, digits, '_', '.' and '-'");
    }

    private static PlaceholderSegment Placeholder(string source)
    {
        var inner = source[1..^1];
        var colon = inner.IndexOf(':', StringComparison.Ordinal);
        var name = colon >= 0 ? inner[..colon] : inner;
        var argument = colon >= 0 ? inner[(colon + 1)..] : null;

        if (!Names.TryGetValue(name, out var kind))
        {
            throw new BadInputException(
                $"unknown placeholder {source}; known: {{sha}}, {{sha:N}}, {{branch}}, {{build}}, {{time:FORMAT}}, {{commit-time:FORMAT}}, {{version}}, {{height}}, {{env:NAME}}, {{seq}}");
        }

        var placeholder = new PlaceholderSegment(kind, argument, source);
        switch (kind)
        {
            case PlaceholderKind.Sha when argument is not null:
                if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length is < 1 or > MaxShaLength)
                {
                    throw new BadInputException($"bad length in {source}: N must be a whole number from 1 to {MaxShaLength}");
                }

                break;
            case PlaceholderKind.Time or PlaceholderKind.CommitTime:
                CheckTimeFormat(source, argument);
                break;
            case PlaceholderKind.Env:
                if (string.IsNullOrEmpty(argument))
                {
                    throw new BadInputException($"{source} needs a variable name: {{env:NAME}}");
                }

                break;
            default:
                if (argument is not null && kind != PlaceholderKind.Sha)
                {
                    throw new BadInputException($"{{{name}}} takes no argument, but the template has {source}");
                }

                break;
        }

        return placeholder;
    }

    private static void CheckTimeFormat(string source, string? format)
    {
        if (format is null || format == UnixTimeFormat)
        {
            return;
        }

        if (format.Length == 0)
        {
            throw new BadInputException($"empty time format in {source}; for example {{time:yyyyMMddHHmmss}}");
        }

        // Format two probe times (one before noon, one after) so AM/PM designators and every field are exercised.
        string[] samples;
        try
        {
            samples =
            [
                FormatTime(new DateTimeOffset(2001, 2, 3, 4, 5, 6, 789, TimeSpan.Zero), format),
                FormatTime(new DateTimeOffset(2099, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), format),
            ];
        }
        catch (FormatException)
        {
            throw new BadInputException($"bad time format in {source}: not a .NET custom date and time format (for example yyyyMMddHHmmss)");
        }

        foreach (var sample in samples)
        {
            if (ImageTag.FirstInvalidCharacter(sample) is { } bad)
            {
                throw new BadInputException($"bad time format in {Printable(source)}: it produces {ImageTag.Describe(bad)}, which a tag cannot hold (use letters y M d H m s f and - _ .)");
            }
        }
    }
}
