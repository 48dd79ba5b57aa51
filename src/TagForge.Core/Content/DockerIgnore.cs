using System.Text;
using System.Text.RegularExpressions;

namespace TagForge.Content;

/// <summary>
/// A <c>.dockerignore</c> file with the docker engine's own matching rules, written by hand after moby's
/// <c>patternmatcher</c> (no served NuGet library does them: Microsoft.Extensions.FileSystemGlobbing has no
/// <c>!</c> re-include and matches directories differently). The rules: <c>#</c> lines are comments, blank lines
/// are skipped, each pattern is cleaned (<c>./a/../b</c> = <c>b</c>, a leading <c>/</c> dropped); <c>*</c> is any run
/// of characters but <c>/</c>, <c>?</c> one such character, <c>[...]</c> a class, <c>**</c> any number of directories,
/// <c>\</c> escapes; a pattern that matches a parent directory matches everything under it; the last matching
/// pattern decides, and one starting with <c>!</c> keeps what earlier ones excluded.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclusion)> _patterns;

    private DockerIgnore(List<(Regex Pattern, bool Exclusion)> patterns) => _patterns = patterns;

    /// <summary>A file that ignores nothing.</summary>
    public static DockerIgnore None { get; } = new([]);

    /// <summary>The <c>.dockerignore</c> of <paramref name="contextDirectory"/>, or <see cref="None"/>.</summary>
    public static DockerIgnore ForContext(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : None;
    }

    /// <summary>Parses the text of a <c>.dockerignore</c>.</summary>
    public static DockerIgnore Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var patterns = new List<(Regex, bool)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('#'))
            {
                continue;
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var exclusion = line.StartsWith('!');
            if (exclusion)
            {
                line = line[1..].Trim();
                if (line.Length == 0)
                {
                    continue;
                }
            }

            var cleaned = Clean(line);
            patterns.Add((new Regex(ToRegex(cleaned), RegexOptions.CultureInvariant | RegexOptions.Singleline), exclusion));
        }

        return new DockerIgnore(patterns);
    }

    /// <summary>True when <paramref name="relativePath"/> (relative to the context, <c>/</c>-separated) is left out of the build context.</summary>
    public bool IsIgnored(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var ignored = false;
        var parents = Parents(relativePath);
        foreach (var (pattern, exclusion) in _patterns)
        {
            // Only a pattern whose verdict would change the outcome needs testing.
            if (exclusion != ignored)
            {
                continue;
            }

            if (pattern.IsMatch(relativePath) || parents.Any(pattern.IsMatch))
            {
                ignored = !exclusion;
            }
        }

        return ignored;
    }

    private static List<string> Parents(string path)
    {
        var parts = path.Split('/');
        var parents = new List<string>(parts.Length);
        for (var i = 1; i < parts.Length; i++)
        {
            parents.Add(string.Join('/', parts[..i]));
        }

        return parents;
    }

    /// <summary>Go's <c>filepath.Clean</c> for <c>/</c> paths, then without a leading <c>/</c>, as moby does.</summary>
    private static string Clean(string pattern)
    {
        var parts = new List<string>();
        foreach (var part in pattern.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                    }

                    // "**" at the end takes everything; elsewhere any number of whole directories, even none.
                    regex.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\' when i + 1 < pattern.Length:
                    i++;
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var body = pattern[(i + 1)..close];
                    if (body.StartsWith('!'))
                    {
                        body = "^" + body[1..];
                    }

                    regex.Append('[').Append(body.Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}
