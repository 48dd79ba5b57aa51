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
internal static partial class GoRegex
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

    private static string Literal(int rune) =>
        rune > 0xFFFF ? string.Concat(char.ConvertFromUtf32(rune).Select(unit => Unit(unit))) : Unit(rune);

    private static string Unit(int unit) => @"\u" + unit.ToString("X4", CultureInfo.InvariantCulture);
}
