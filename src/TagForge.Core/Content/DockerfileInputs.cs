using System.Text;
using System.Text.RegularExpressions;
using TagForge.Errors;

namespace TagForge.Content;

/// <summary>
/// What a Dockerfile reads besides its context, as far as TagForge can know it: the images it is built from (each
/// must be resolved to a digest for the identity), and the inputs it cannot know (a download without a checksum, a
/// git source, a secret or ssh mount, a step with the network), which make its image never reusable on its identity.
/// </summary>
/// <param name="ExternalImages">Every image reference it uses (<c>FROM</c>, <c>COPY --from</c>, <c>RUN --mount=from=</c>) that is neither <c>scratch</c> nor one of its stages, with build arguments substituted, in order of first use.</param>
/// <param name="UnknowableInputs">One reason per input TagForge cannot know, such as <c>line 4: ADD https://… without --checksum</c>.</param>
public sealed partial record DockerfileInputs(IReadOnlyList<string> ExternalImages, IReadOnlyList<string> UnknowableInputs)
{
    /// <summary>True when the identity covers every input (no <see cref="UnknowableInputs"/>).</summary>
    public bool IsHermetic => UnknowableInputs.Count == 0;

    /// <summary>Reads <paramref name="dockerfilePath"/> with <paramref name="buildArgs"/> (NAME → value; null: not given) for <c>ARG</c> substitution.</summary>
    /// <exception cref="BadInputException">The Dockerfile cannot be read.</exception>
    public static DockerfileInputs Read(string dockerfilePath, IReadOnlyDictionary<string, string?> buildArgs)
    {
        ArgumentNullException.ThrowIfNull(buildArgs);
        string text;
        try
        {
            text = File.ReadAllText(dockerfilePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the Dockerfile {dockerfilePath}: {ex.Message}", ex);
        }

        return Parse(text, buildArgs);
    }

    /// <summary>Reads the text of a Dockerfile (see <see cref="Read"/>).</summary>
    public static DockerfileInputs Parse(string text, IReadOnlyDictionary<string, string?> buildArgs)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(buildArgs);
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<string>();
        var unknowable = new List<string>();
        var seenFrom = false;
        foreach (var (line, instruction) in Instructions(text))
        {
            var (keyword, rest) = Split(instruction);
            var (flags, words) = Flags(rest);
            switch (keyword)
            {
                case "ARG" when !seenFrom:
                    foreach (var word in words)
                    {
                        var eq = word.IndexOf('=', StringComparison.Ordinal);
                        var name = eq < 0 ? word : word[..eq];
                        var value = buildArgs.TryGetValue(name, out var given) && given is not null ? given : eq < 0 ? null : Unquote(word[(eq + 1)..]);
                        if (value is not null)
                        {
                            args[name] = value;
                        }
                    }

                    break;
                case "FROM":
                    seenFrom = true;
                    if (words.Count > 0)
                    {
                        AddImage(Substitute(words[0], args), stages, images);
                    }

                    if (words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
                    {
                        stages.Add(words[2]);
                    }

                    break;
                case "COPY" or "ADD":
                    if (flags.TryGetValue("from", out var from))
                    {
                        AddImage(Substitute(from, args), stages, images);
                    }

                    if (keyword == "ADD")
                    {
                        foreach (var source in words.Take(Math.Max(0, words.Count - 1)))
                        {
                            if (IsGitSource(source))
                            {
                                unknowable.Add($"line {line}: ADD {source} (a git source TagForge cannot hash)");
                            }
                            else if (IsUrl(source) && !flags.ContainsKey("checksum"))
                            {
                                unknowable.Add($"line {line}: ADD {source} without --checksum (a download TagForge cannot hash)");
                            }
                        }
                    }

                    break;
                case "RUN":
                    foreach (var mount in flags.Where(f => f.Key == "mount").Select(f => f.Value).Concat(MoreMounts(rest)))
                    {
                        var options = mount.Split(',').Select(o => o.Split('=', 2)).ToDictionary(o => o[0].Trim().ToLowerInvariant(), o => o.Length > 1 ? o[1] : "", StringComparer.Ordinal);
                        var type = options.GetValueOrDefault("type", "bind");
                        if (type is "secret" or "ssh")
                        {
                            unknowable.Add($"line {line}: RUN --mount=type={type} (a {type} TagForge cannot hash)");
                        }
                        else if (options.TryGetValue("from", out var mountFrom))
                        {
                            AddImage(Substitute(mountFrom, args), stages, images);
                        }
                    }

                    if (flags.TryGetValue("network", out var network) && network != "none")
                    {
                        unknowable.Add($"line {line}: RUN --network={network} (what it reads from the network is not in the identity)");
                    }

                    break;
            }
        }

        return new DockerfileInputs(images.Distinct(StringComparer.Ordinal).ToList(), unknowable);
    }

    private static void AddImage(string reference, HashSet<string> stages, List<string> images)
    {
        if (reference.Length > 0 && !reference.Equals("scratch", StringComparison.OrdinalIgnoreCase)
            && !stages.Contains(reference) && !reference.All(char.IsAsciiDigit))
        {
            images.Add(reference);
        }
    }

    private static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static bool IsGitSource(string source) =>
        source.StartsWith("git@", StringComparison.Ordinal) || source.StartsWith("git://", StringComparison.OrdinalIgnoreCase)
        || source.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase)
        || (IsUrl(source) && (source.Split('#')[0].EndsWith(".git", StringComparison.OrdinalIgnoreCase) || source.Contains(".git#", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The logical instructions (continuations joined, comments dropped) with their first line number.</summary>
    private static IEnumerable<(int Line, string Text)> Instructions(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var escape = '\\';
        foreach (var directive in lines.TakeWhile(l => l.StartsWith('#')))
        {
            var match = EscapeDirective().Match(directive);
            if (match.Success)
            {
                escape = match.Groups[1].Value[0];
            }
        }

        var current = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (current.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }

            if (current.Length > 0 && line.TrimStart().StartsWith('#'))
            {
                continue; // a comment inside a continued instruction
            }

            if (current.Length == 0)
            {
                start = i + 1;
            }

            var trimmed = line.TrimEnd();
            if (trimmed.EndsWith(escape))
            {
                current.Append(trimmed[..^1]).Append(' ');
                continue;
            }

            current.Append(line);
            yield return (start, current.ToString().Trim());
            current.Clear();
        }

        if (current.Length > 0)
        {
            yield return (start, current.ToString().Trim());
        }
    }

    private static (string Keyword, string Arguments) Split(string instruction)
    {
        var space = instruction.IndexOfAny([' ', '\t']);
        return space < 0 ? (instruction.ToUpperInvariant(), "") : (instruction[..space].ToUpperInvariant(), instruction[(space + 1)..].Trim());
    }

    /// <summary>The leading <c>--name=value</c> flags (the first of each name) and the remaining words.</summary>
    private static (Dictionary<string, string> Flags, List<string> Words) Flags(string rest)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        if (rest.StartsWith('['))
        {
            return (flags, []); // exec form: no flags, no image references
        }

        while (words.Count > 0 && words[0].StartsWith("--", StringComparison.Ordinal))
        {
            var flag = words[0][2..].Split('=', 2);
            flags.TryAdd(flag[0].ToLowerInvariant(), flag.Length > 1 ? Unquote(flag[1]) : "");
            words.RemoveAt(0);
        }

        return (flags, words);
    }

    /// <summary>The second and later <c>--mount</c> flags of a RUN (the dictionary keeps the first).</summary>
    private static IEnumerable<string> MoreMounts(string rest) =>
        rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
            .Where(w => w.StartsWith("--mount=", StringComparison.OrdinalIgnoreCase))
            .Skip(1)
            .Select(w => Unquote(w["--mount=".Length..]));

    /// <summary>Dockerfile variable substitution: <c>$X</c>, <c>${X}</c>, <c>${X:-default}</c>, <c>${X:+alternative}</c>.</summary>
    private static string Substitute(string word, Dictionary<string, string> args) =>
        Variable().Replace(Unquote(word), match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["plain"].Value;
            var value = args.GetValueOrDefault(name);
            return match.Groups["op"].Value switch
            {
                ":-" => string.IsNullOrEmpty(value) ? match.Groups["word"].Value : value,
                ":+" => string.IsNullOrEmpty(value) ? "" : match.Groups["word"].Value,
                _ => value ?? "",
            };
        });

    private static string Unquote(string text) =>
        text.Length >= 2 && (text[0] == '"' || text[0] == '\'') && text[^1] == text[0] ? text[1..^1] : text;

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:[-+])(?<word>[^}]*))?\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^#\s*escape\s*=\s*(\S)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EscapeDirective();
}
