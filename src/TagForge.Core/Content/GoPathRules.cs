using System.Text;

namespace TagForge.Content;

/// <summary>
/// The two pieces of Go's standard library that decide how docker reads a <c>.dockerignore</c> pattern before its
/// own matcher sees it: <c>filepath.Clean</c> (for <c>/</c> paths) and the syntax check of <c>filepath.Match</c>
/// (a pattern it calls malformed makes <c>docker build</c> fail). Ported rule for rule, so the edge cases agree.
/// </summary>
internal static class GoPathRules
{
    /// <summary>Go's <c>filepath.Clean</c> on Unix.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        var leadingDotDots = 0;
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > leadingDotDots)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                    leadingDotDots++;
                }

                continue;
            }

            parts.Add(part);
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Go's <c>strings.TrimSpace</c> (Unicode white space, the same set as .NET's).</summary>
    public static string TrimSpace(string text) => text.Trim();

    /// <summary>False when Go's <c>filepath.Match</c> calls <paramref name="pattern"/> malformed (<c>ErrBadPattern</c>).</summary>
    public static bool IsValidMatchPattern(string pattern)
    {
        var rest = pattern;
        while (rest.Length > 0)
        {
            rest = rest.TrimStart('*');
            var chunk = ScanChunk(rest);
            rest = rest[chunk.Length..];
            if (!IsValidChunk(chunk))
            {
                return false;
            }
        }

        return true;
    }

    private static string ScanChunk(string pattern)
    {
        var inRange = false;
        var i = 0;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length)
                {
                    i++;
                }
            }
            else if (c == '[')
            {
                inRange = true;
            }
            else if (c == ']')
            {
                inRange = false;
            }
            else if (c == '*' && !inRange)
            {
                break;
            }
        }

        return pattern[..i];
    }

    private static bool IsValidChunk(string chunk)
    {
        var i = 0;
        while (i < chunk.Length)
        {
            switch (chunk[i])
            {
                case '[':
                    i++;
                    if (i < chunk.Length && chunk[i] == '^')
                    {
                        i++;
                    }

                    var ranges = 0;
                    while (true)
                    {
                        if (i < chunk.Length && chunk[i] == ']' && ranges > 0)
                        {
                            i++;
                            break;
                        }

                        if (!ClassChar(chunk, ref i))
                        {
                            return false;
                        }

                        if (chunk[i] == '-')
                        {
                            i++;
                            if (!ClassChar(chunk, ref i))
                            {
                                return false;
                            }
                        }

                        ranges++;
                    }

                    break;
                case '\\':
                    if (i + 1 >= chunk.Length)
                    {
                        return false;
                    }

                    i += 2;
                    break;
                default:
                    i++;
                    break;
            }
        }

        return true;
    }

    /// <summary>Go's <c>getEsc</c>: one class character; malformed when missing, <c>-</c>, <c>]</c>, or the chunk ends after it.</summary>
    private static bool ClassChar(string chunk, ref int i)
    {
        if (i >= chunk.Length || chunk[i] is '-' or ']')
        {
            return false;
        }

        if (chunk[i] == '\\')
        {
            i++;
            if (i >= chunk.Length)
            {
                return false;
            }
        }

        i += char.IsHighSurrogate(chunk[i]) && i + 1 < chunk.Length ? 2 : 1;
        return i < chunk.Length;
    }

    /// <summary>The runes of <paramref name="text"/> (Go iterates a string by rune; .NET by UTF-16 unit).</summary>
    public static List<Rune> Runes(string text)
    {
        var runes = new List<Rune>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            runes.Add(rune);
        }

        return runes;
    }
}
