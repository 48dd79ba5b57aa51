using System.Text;

namespace TagForge.Content;

/// <summary>Character classes of Go's regexp: <c>[...]</c> with ranges, escapes, POSIX and Perl classes, as sets of rune ranges.</summary>
internal static partial class GoRegex
{
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
}
