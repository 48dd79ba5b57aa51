using System.Text;
using System.Text.RegularExpressions;

namespace TagForge.Content;

/// <summary>
/// One pattern of a <c>.dockerignore</c>, compiled as moby's <c>patternmatcher.Pattern</c> does: an exact
/// string, a prefix (<c>dir/**</c>), a suffix (<c>**/name</c>: a plain string test, so <c>**foo</c> matches
/// <c>barfoo</c>), or otherwise a Go regex (<c>*</c> any run but <c>/</c>, <c>?</c> one rune but <c>/</c>,
/// <c>**</c> any directories, <c>\</c> passes the next character to the regex, <c>[</c>/<c>]</c> pass through).
/// </summary>
public sealed class IgnorePattern
{
    private enum MatchType
    {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }

    private readonly MatchType _type;
    private readonly Regex? _regex;

    private IgnorePattern(string cleaned, bool exclusion, MatchType type, Regex? regex)
    {
        Text = cleaned;
        Exclusion = exclusion;
        _type = type;
        _regex = regex;
        DirectoryCount = cleaned.Split('/').Length;
    }

    /// <summary>The cleaned pattern without its <c>!</c> (moby's <c>Pattern.String()</c>).</summary>
    public string Text { get; }

    /// <summary>True for a <c>!</c> pattern: it keeps what earlier patterns left out.</summary>
    public bool Exclusion { get; }

    /// <summary>The number of <c>/</c>-separated parts (moby's <c>len(pattern.dirs)</c>).</summary>
    internal int DirectoryCount { get; }

    /// <summary>
    /// True when the CLI's matcher and docker 20.10's regex-only one answer alike for every path: all but a leading
    /// <c>**</c> not followed by <c>/</c> (<c>**a</c>, <c>**</c>), which differ (see <see cref="Matches(string, bool)"/>).
    /// </summary>
    internal bool MatchesAlikeForEitherBuilder => _type != MatchType.Suffix || (Text.Length > 2 && Text[2] == '/');

    /// <summary>Compiles one entry of moby's pattern list (<c>patternmatcher.New</c>); null for a blank one.</summary>
    /// <exception cref="FormatException">The engine refuses the pattern.</exception>
    internal static IgnorePattern? Compile(string entry)
    {
        var pattern = GoPathRules.TrimSpace(entry);
        if (pattern.Length == 0)
        {
            return null;
        }

        pattern = GoPathRules.Clean(pattern);
        var exclusion = pattern[0] == '!';
        if (exclusion)
        {
            if (pattern.Length == 1)
            {
                throw new FormatException("illegal exclusion pattern: \"!\"");
            }

            pattern = pattern[1..];
        }

        if (!GoPathRules.IsValidMatchPattern(pattern))
        {
            throw new FormatException("syntax error in pattern");
        }

        var (type, regex) = Build(pattern);
        Regex? compiled = null;
        if (type == MatchType.Regex)
        {
            compiled = GoRegex.Translate(regex);
        }

        return new IgnorePattern(pattern, exclusion, type, compiled);
    }

    /// <summary>True when the pattern itself matches <paramref name="path"/> (no parent directories considered).</summary>
    public bool Matches(string path) => Matches(path, legacy: false);

    /// <summary>
    /// As <see cref="Matches(string)"/>; with <paramref name="legacy"/>, as the regex-only matcher of docker 20.10's
    /// engine and BuildKit (fileutils before moby's patternmatcher): there a leading <c>**</c> followed by a name is
    /// <c>(.*/)?name</c>, a whole path component, not a plain suffix (<c>**a</c> leaves out <c>x/a</c>, never <c>x/da</c>).
    /// </summary>
    public bool Matches(string path, bool legacy) => _type switch
    {
        MatchType.Suffix when legacy && (Text.Length <= 2 || Text[2] != '/') => path == Text[2..] || path.EndsWith("/" + Text[2..], StringComparison.Ordinal),
        MatchType.Exact => path == Text,
        MatchType.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
        MatchType.Suffix => path.EndsWith(Text[2..], StringComparison.Ordinal) || (Text.Length > 2 && Text[2] == '/' && path == Text[3..]),
        _ => _regex!.IsMatch(path),
    };

    /// <inheritdoc />
    public override string ToString() => (Exclusion ? "!" : "") + Text;

    /// <summary>moby's <c>Pattern.compile</c>: the match type and the Go regex text.</summary>
    private static (MatchType Type, string Regex) Build(string pattern)
    {
        var regex = new StringBuilder("^");
        var type = MatchType.Exact;
        var runes = GoPathRules.Runes(pattern);
        var position = 0;
        for (var i = 0; position < runes.Count; i++)
        {
            var c = runes[position++].Value;
            if (c == '*')
            {
                if (position < runes.Count && runes[position].Value == '*')
                {
                    position++;
                    if (position < runes.Count && runes[position].Value == '/')
                    {
                        position++;
                    }

                    if (position >= runes.Count)
                    {
                        if (type == MatchType.Exact)
                        {
                            type = MatchType.Prefix;
                        }
                        else
                        {
                            regex.Append(".*");
                            type = MatchType.Regex;
                        }
                    }
                    else
                    {
                        regex.Append("(.*/)?");
                        type = MatchType.Regex;
                    }

                    if (i == 0)
                    {
                        type = MatchType.Suffix;
                    }
                }
                else
                {
                    regex.Append("[^/]*");
                    type = MatchType.Regex;
                }
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
                type = MatchType.Regex;
            }
            else if (c is '.' or '+' or '(' or ')' or '|' or '{' or '}' or '$')
            {
                regex.Append('\\').Append((char)c);
            }
            else if (c == '\\')
            {
                if (position < runes.Count)
                {
                    regex.Append('\\').Append(runes[position++].ToString());
                    type = MatchType.Regex;
                }
                else
                {
                    regex.Append('\\');
                }
            }
            else if (c is '[' or ']')
            {
                regex.Append((char)c);
                type = MatchType.Regex;
            }
            else
            {
                regex.Append(char.ConvertFromUtf32(c));
            }
        }

        return (type, regex.Append('$').ToString());
    }
}
