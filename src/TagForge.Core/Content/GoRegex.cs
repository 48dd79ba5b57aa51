using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TagForge.Content;

/// <summary>
/// Go's <c>regexp</c> syntax (RE2, the flags of <c>regexp.Compile</c>) rewritten as a .NET regex with the same
/// meaning, for the regexes moby's pattern matcher builds from <c>.dockerignore</c> lines. They differ where a
/// pattern reaches the regex untouched: a class <c>[!x]</c> is <c>!</c> or <c>x</c> (Go negates with <c>^</c>), a
/// backslash before a letter is Go's escape (<c>\d</c> a digit, <c>\a</c> the bell, <c>\q</c> an error), POSIX
/// classes (<c>[[:alpha:]]</c>), and one character is one rune, not one UTF-16 unit. Every literal is written as
/// <c>\uXXXX</c>, so .NET never reads its own syntax into it.
/// </summary>
internal static class GoRegex
{
    private const string AnyAstral = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";
    private const int MaxRune = 0x10FFFF;

    /// <summary>The .NET regex for the Go regex <paramref name="pattern"/>.</summary>
    /// <exception cref="FormatException">Go's regexp.Compile would refuse it.</exception>
    public static Regex Translate(string pattern)
    {
        var runes = GoPathRules.Runes(pattern);
        var output = new StringBuilder();
        var i = 0;
        var depth = 0;
        var canRepeat = false;
        while (i < runes.Count)
        {
            var c = runes[i].Value;
            switch (c)
            {
                case '^':
                    output.Append(@"\A");
                    i++;
                    canRepeat = true;
                    break;
                case '$':
                    output.Append(@"\z");
                    i++;
                    canRepeat = true;
                    break;
                case '.':
                    output.Append(@"(?:[^\n\uD800-\uDFFF]|").Append(AnyAstral).Append(')');
                    i++;
                    canRepeat = true;
                    break;
                case '(':
                    output.Append("(?:");
                    depth++;
                    i++;
                    canRepeat = false;
                    break;
                case ')':
                    if (depth-- == 0)
                    {
                        throw new FormatException("unexpected )");
                    }

                    output.Append(')');
                    i++;
                    canRepeat = true;
                    break;
                case '|':
                    output.Append('|');
                    i++;
                    canRepeat = false;
                    break;
                case '*' or '+' or '?':
                    if (!canRepeat)
                    {
                        throw new FormatException("missing argument to repetition operator");
                    }

                    output.Append((char)c);
                    i++;
                    if (i < runes.Count && runes[i].Value == '?')
                    {
                        output.Append('?');
                        i++;
                    }

                    if (i < runes.Count && runes[i].Value is '*' or '+' or '?')
                    {
                        throw new FormatException("invalid nested repetition operator");
                    }

                    canRepeat = false;
                    break;
                case '[':
                    i++;
                    output.Append(Emit(ParseClass(runes, ref i)));
                    canRepeat = true;
                    break;
                case '\\':
                    output.Append(Escape(runes, ref i));
                    canRepeat = true;
                    break;
                default:
                    output.Append(Literal(c));
                    i++;
                    canRepeat = true;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FormatException("missing )");
        }

        return new Regex(output.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    private static string Escape(List<Rune> runes, ref int i)
    {
        if (i + 1 >= runes.Count)
        {
            throw new FormatException("trailing backslash");
        }

        var next = runes[i + 1].Value;
        switch (next)
        {
            case 'A':
                i += 2;
                return @"\A";
            case 'z':
                i += 2;
                return @"\z";
            case 'b' or 'B':
                i += 2;
                const string word = "[0-9A-Za-z_]";
                return next == 'b'
                    ? $"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))"
                    : $"(?:(?<={word})(?={word})|(?<!{word})(?!{word}))";
            case 'Q':
                var literal = new StringBuilder();
                i += 2;
                while (i < runes.Count && !(runes[i].Value == '\\' && i + 1 < runes.Count && runes[i + 1].Value == 'E'))
                {
                    literal.Append(Literal(runes[i++].Value));
                }

                i = Math.Min(i + 2, runes.Count);
                return "(?:" + literal + ")";
            case 'C':
                throw new FormatException(@"invalid escape \C");
            default:
                var perl = PerlClass(runes, ref i);
                if (perl is not null)
                {
                    return Emit(perl);
                }

                return Literal(ParseEscape(runes, ref i));
        }
    }

    /// <summary>A class's runes as inclusive ranges, after <c>[</c>; leaves <paramref name="i"/> after <c>]</c>.</summary>
    private static List<(int Lo, int Hi)> ParseClass(List<Rune> runes, ref int i)
    {
        var negated = i < runes.Count && runes[i].Value == '^';
        if (negated)
        {
            i++;
        }

        var ranges = new List<(int, int)>();
        var first = true;
        while (i >= runes.Count || runes[i].Value != ']' || first)
        {
            if (i >= runes.Count)
            {
                throw new FormatException("missing ]");
            }

            first = false;
            if (runes[i].Value == '[' && i + 1 < runes.Count && runes[i + 1].Value == ':' && NamedClass(runes, ref i) is { } named)
            {
                ranges.AddRange(named);
                continue;
            }

            if (runes[i].Value == '\\' && PerlClass(runes, ref i) is { } perl)
            {
                ranges.AddRange(perl);
                continue;
            }

            var lo = ClassChar(runes, ref i);
            var hi = lo;
            if (i + 1 < runes.Count && runes[i].Value == '-' && runes[i + 1].Value != ']')
            {
                i++;
                hi = ClassChar(runes, ref i);
                if (hi < lo)
                {
                    throw new FormatException("invalid character class range");
                }
            }

            ranges.Add((lo, hi));
        }

        i++;
        return negated ? Complement(ranges) : ranges;
    }

    private static int ClassChar(List<Rune> runes, ref int i)
    {
        if (runes[i].Value == '\\')
        {
            return ParseEscape(runes, ref i);
        }

        return runes[i++].Value;
    }

    /// <summary>Go's <c>parseEscape</c>: one escaped rune, or an error for an escape Go does not know.</summary>
    private static int ParseEscape(List<Rune> runes, ref int i)
    {
        i++; // the backslash
        if (i >= runes.Count)
        {
            throw new FormatException("trailing backslash");
        }

        var c = runes[i++].Value;
        if (c < 0x80 && !char.IsAsciiLetterOrDigit((char)c))
        {
            return c;
        }

        switch (c)
        {
            case >= '1' and <= '7' when i < runes.Count && runes[i].Value is >= '0' and <= '7':
            case '0':
                var value = c - '0';
                for (var n = 1; n < 3 && i < runes.Count && runes[i].Value is >= '0' and <= '7'; n++)
                {
                    value = value * 8 + runes[i++].Value - '0';
                }

                return value;
            case 'x' when i < runes.Count:
                if (runes[i].Value == '{')
                {
                    var close = i + 1;
                    while (close < runes.Count && runes[close].Value != '}')
                    {
                        close++;
                    }

                    var digits = string.Concat(runes.GetRange(i + 1, Math.Max(0, close - i - 1)));
                    if (close >= runes.Count || !int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || code > MaxRune)
                    {
                        throw new FormatException(@"invalid escape \x");
                    }

                    i = close + 1;
                    return code;
                }

                if (i + 1 < runes.Count && Uri.IsHexDigit((char)Math.Min(runes[i].Value, 0xFFFF)) && Uri.IsHexDigit((char)Math.Min(runes[i + 1].Value, 0xFFFF)))
                {
                    var hex = int.Parse(string.Concat(runes[i], runes[i + 1]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    i += 2;
                    return hex;
                }

                break;
            case 'a':
                return 7;
            case 'f':
                return 12;
            case 'n':
                return 10;
            case 'r':
                return 13;
            case 't':
                return 9;
            case 'v':
                return 11;
        }

        throw new FormatException($"invalid escape \\{char.ConvertFromUtf32(c)}");
    }

    /// <summary><c>\d \D \s \S \w \W</c> (ASCII in Go), or null when <paramref name="i"/> is at another escape.</summary>
    private static List<(int Lo, int Hi)>? PerlClass(List<Rune> runes, ref int i)
    {
        if (i + 1 >= runes.Count)
        {
            return null;
        }

        List<(int, int)>? ranges = char.ToLowerInvariant((char)Math.Min(runes[i + 1].Value, 0xFFFF)) switch
        {
            'd' => [('0', '9')],
            's' => [('\t', '\n'), ('\f', '\r'), (' ', ' ')],
            'w' => [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
            _ => null,
        };
        if (ranges is null || runes[i + 1].Value > 'z')
        {
            return null;
        }

        var negated = char.IsUpper((char)runes[i + 1].Value);
        i += 2;
        return negated ? Complement(ranges) : ranges;
    }

    /// <summary>A POSIX class <c>[:name:]</c> or <c>[:^name:]</c>; null (nothing consumed) when it is not one, as in Go.</summary>
    private static List<(int Lo, int Hi)>? NamedClass(List<Rune> runes, ref int i)
    {
        var text = string.Concat(runes.Skip(i).Take(12));
        var end = text.IndexOf(":]", 2, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var name = text[2..end];
        var negated = name.StartsWith('^');
        List<(int, int)>? ranges = (negated ? name[1..] : name) switch
        {
            "alnum" => [('0', '9'), ('A', 'Z'), ('a', 'z')],
            "alpha" => [('A', 'Z'), ('a', 'z')],
            "ascii" => [(0, 0x7F)],
            "blank" => [('\t', '\t'), (' ', ' ')],
            "cntrl" => [(0, 0x1F), (0x7F, 0x7F)],
            "digit" => [('0', '9')],
            "graph" => [('!', '~')],
            "lower" => [('a', 'z')],
            "print" => [(' ', '~')],
            "punct" => [('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
            "space" => [('\t', '\r'), (' ', ' ')],
            "upper" => [('A', 'Z')],
            "word" => [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
            "xdigit" => [('0', '9'), ('A', 'F'), ('a', 'f')],
            _ => throw new FormatException($"invalid character class range [:{name}:]"),
        };
        i += end + 2;
        return negated ? Complement(ranges) : ranges;
    }

    private static List<(int Lo, int Hi)> Complement(List<(int Lo, int Hi)> ranges)
    {
        var result = new List<(int, int)>();
        var next = 0;
        foreach (var (lo, hi) in ranges.OrderBy(r => r.Lo))
        {
            if (lo > next)
            {
                result.Add((next, lo - 1));
            }

            next = Math.Max(next, hi + 1);
        }

        if (next <= MaxRune)
        {
            result.Add((next, MaxRune));
        }

        return result;
    }

    /// <summary>A class as .NET: the BMP part as a class (surrogates excluded), and any rune above it as a pair.</summary>
    private static string Emit(List<(int Lo, int Hi)> ranges)
    {
        var bmp = new StringBuilder();
        var astral = false;
        foreach (var (lo, hi) in ranges)
        {
            astral |= hi > 0xFFFF;
            foreach (var (from, to) in new[] { (lo, Math.Min(hi, 0xD7FF)), (Math.Max(lo, 0xE000), Math.Min(hi, 0xFFFF)) })
            {
                if (from <= to)
                {
                    bmp.Append(Unit(from)).Append('-').Append(Unit(to));
                }
            }
        }

        var parts = new List<string>();
        if (bmp.Length > 0)
        {
            parts.Add("[" + bmp + "]");
        }

        if (astral)
        {
            parts.Add(AnyAstral);
        }

        return parts.Count == 0 ? "(?!)" : "(?:" + string.Join('|', parts) + ")";
    }

    private static string Literal(int rune) =>
        rune > 0xFFFF ? string.Concat(char.ConvertFromUtf32(rune).Select(unit => Unit(unit))) : Unit(rune);

    private static string Unit(int unit) => @"\u" + unit.ToString("X4", CultureInfo.InvariantCulture);
}
