using System.Text;
using TagForge.Errors;

namespace TagForge.Content;

/// <summary>
/// A <c>.dockerignore</c> read and matched with the docker engine's own rules, ported from moby's
/// <c>ignorefile.ReadAll</c> and <c>patternmatcher</c> (no served NuGet library has them): a UTF-8 BOM is dropped;
/// a line starting with <c>#</c> is a comment (only at column 0); lines end at <c>\n</c> and one <c>\r</c> before it
/// is dropped; surrounding white space is trimmed; <c>!</c> makes an exception; each pattern is cleaned like a path
/// (<c>./a/../b</c> is <c>b</c>, a leading <c>/</c> dropped); then <see cref="IgnorePattern"/> compiles it. The last
/// matching pattern decides. How the patterns are applied to a directory tree differs per builder: see
/// <see cref="ContextWalker"/>.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IgnorePattern[] _patterns;

    private DockerIgnore(IgnorePattern[] patterns, string? source)
    {
        _patterns = patterns;
        Source = source;
        HasExclusions = patterns.Any(p => p.Exclusion);
    }

    /// <summary>A file that ignores nothing.</summary>
    public static DockerIgnore None { get; } = new([], null);

    /// <summary>The compiled patterns, in order.</summary>
    public IReadOnlyList<IgnorePattern> Patterns => _patterns;

    /// <summary>True when a pattern starts with <c>!</c>.</summary>
    public bool HasExclusions { get; }

    /// <summary>The file the patterns were read from, or null.</summary>
    public string? Source { get; }

    /// <summary>The <c>.dockerignore</c> of <paramref name="contextDirectory"/>, or <see cref="None"/>.</summary>
    /// <exception cref="BadInputException">The engine would refuse a pattern of it.</exception>
    public static DockerIgnore ForContext(string contextDirectory) => Read(Path.Combine(contextDirectory, ".dockerignore"));

    /// <summary>
    /// The ignore file <paramref name="rules"/>' builder reads: BuildKit takes <c>&lt;Dockerfile&gt;.dockerignore</c>
    /// (next to the Dockerfile) when it exists instead of the context's <c>.dockerignore</c>; the classic builder
    /// reads only <c>.dockerignore</c>.
    /// </summary>
    public static DockerIgnore For(string contextDirectory, string? dockerfile, ContextRules rules) =>
        Read(IgnoreFilePath(contextDirectory, dockerfile, rules));

    /// <summary>The path of the ignore file the builder reads (which may not exist).</summary>
    public static string IgnoreFilePath(string contextDirectory, string? dockerfile, ContextRules rules)
    {
        if (rules == ContextRules.BuildKit && dockerfile is not null)
        {
            var specific = Path.GetFullPath(dockerfile) + ".dockerignore";
            if (File.Exists(specific))
            {
                return specific;
            }
        }

        return Path.Combine(contextDirectory, ".dockerignore");
    }

    /// <summary>Parses the text of a <c>.dockerignore</c>.</summary>
    /// <exception cref="BadInputException">The engine would refuse a pattern.</exception>
    public static DockerIgnore Parse(string text) => Parse(Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))), null);

    /// <summary>These patterns and <paramref name="entries"/> after them (the CLI's own additions).</summary>
    internal DockerIgnore With(IEnumerable<string> entries) =>
        new([.. _patterns, .. entries.Select(entry => IgnorePattern.Compile(entry)!)], Source);

    /// <summary>True when <paramref name="relativePath"/> or one of its parent directories is left out (moby's <c>MatchesOrParentMatches</c>).</summary>
    public bool IsIgnored(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return Match(relativePath, parents: int.MaxValue);
    }

    /// <summary>moby's deprecated <c>Matches</c>: the path, or only its one parent with as many parts as the pattern (BuildKit's walker in docker 20.10, and the engine's check of the Dockerfile and <c>.dockerignore</c>).</summary>
    public bool MatchesSingleParent(string relativePath) => Match(relativePath, parents: 1);

    /// <summary>moby's <c>MatchesUsingParentResults</c>: whether <paramref name="relativePath"/> is left out, and each pattern's verdict for its children.</summary>
    public (bool Ignored, bool[] Matched) MatchesUsingParentResults(string relativePath, bool[]? parentMatched)
    {
        var matched = false;
        var result = new bool[_patterns.Length];
        for (var i = 0; i < _patterns.Length; i++)
        {
            var pattern = _patterns[i];
            var match = parentMatched is { Length: > 0 } && parentMatched[i];
            if (!match)
            {
                if (pattern.Exclusion != matched)
                {
                    continue;
                }

                match = pattern.Matches(relativePath);
                if (!match && parentMatched is not { Length: > 0 })
                {
                    match = AnyParentMatches(pattern, relativePath);
                }
            }

            result[i] = match;
            if (match)
            {
                matched = !pattern.Exclusion;
            }
        }

        return (matched, result);
    }

    private bool Match(string file, int parents)
    {
        var matched = false;
        var slash = file.LastIndexOf('/');
        foreach (var pattern in _patterns)
        {
            if (pattern.Exclusion != matched)
            {
                continue;
            }

            // The single-parent walk is docker 20.10's (engine and BuildKit), whose patterns are regexes only.
            var legacy = parents == 1;
            var match = pattern.Matches(file, legacy);
            if (!match && slash > 0)
            {
                if (legacy)
                {
                    var parentParts = file[..slash].Split('/');
                    match = pattern.DirectoryCount <= parentParts.Length
                        && pattern.Matches(string.Join('/', parentParts[..pattern.DirectoryCount]), legacy);
                }
                else
                {
                    match = AnyParentMatches(pattern, file);
                }
            }

            if (match)
            {
                matched = !pattern.Exclusion;
            }
        }

        return matched;
    }

    private static bool AnyParentMatches(IgnorePattern pattern, string file)
    {
        for (var slash = file.IndexOf('/'); slash > 0; slash = file.IndexOf('/', slash + 1))
        {
            if (pattern.Matches(file[..slash]))
            {
                return true;
            }
        }

        return false;
    }

    private static DockerIgnore Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return None;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read {path}: {ex.Message}", ex);
        }

        return Parse(bytes, path);
    }

    private static DockerIgnore Parse(byte[] bytes, string? source)
    {
        var text = Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? 3 : 0));
        var patterns = new List<IgnorePattern>();
        var lines = text.Split('\n');
        for (var number = 0; number < lines.Length; number++)
        {
            var line = lines[number];
            if (number == lines.Length - 1 && line.Length == 0)
            {
                break;
            }

            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            line = GoPathRules.TrimSpace(line);
            if (line.Length == 0)
            {
                continue;
            }

            var invert = line[0] == '!';
            if (invert)
            {
                line = GoPathRules.TrimSpace(line[1..]);
            }

            if (line.Length > 0)
            {
                line = GoPathRules.Clean(line);
                if (line.Length > 1 && line[0] == '/')
                {
                    line = line[1..];
                }
            }

            try
            {
                if (IgnorePattern.Compile(invert ? "!" + line : line) is { } pattern)
                {
                    patterns.Add(pattern);
                }
            }
            catch (FormatException ex)
            {
                throw new BadInputException($"{source ?? ".dockerignore"} line {number + 1}: the docker engine refuses the pattern {lines[number].TrimEnd('\r').Trim()}: {ex.Message}", ex);
            }
        }

        return new DockerIgnore([.. patterns], source);
    }
}
