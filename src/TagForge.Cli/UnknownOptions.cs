using System.CommandLine;
using System.CommandLine.Parsing;

namespace TagForge.Cli;

/// <summary>
/// Finds a misspelt option before anything runs. The parser takes a token that matches no option as an argument
/// when the command has arguments (<c>pin k8s/ --recrod x.json</c> would pin with the default record, then fail on
/// <c>x.json</c>), so every argument token before <c>--</c> that looks like an option is refused here, with the
/// closest option of the command as a suggestion. A file whose name starts with <c>-</c> goes after <c>--</c> or as
/// <c>./-name</c>.
/// </summary>
internal static class UnknownOptions
{
    /// <summary>How far a name may be from an option (in edits) to be suggested.</summary>
    private const int SuggestionDistance = 2;

    /// <summary>The one-line error for the first unknown option in <paramref name="parseResult"/>, or null.</summary>
    public static string? Find(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (command is RootCommand)
        {
            // No command was recognised: the unknown command is the error to name, not its options.
            return null;
        }

        foreach (var token in parseResult.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                return null;
            }

            if (token.Type == TokenType.Argument && LooksLikeOption(token.Value) && !IsOptionValue(parseResult, token))
            {
                var name = token.Value.Split('=', 2)[0];
                return Suggest(name, command) is { } suggestion
                    ? $"unknown option '{name}' for '{command.Name}' (did you mean '{suggestion}'?)"
                    : $"unknown option '{name}' for '{command.Name}'";
            }
        }

        return null;
    }

    /// <summary>The closest option name (aliases included) of <paramref name="command"/> and its parents' recursive options.</summary>
    internal static string? Suggest(string name, Command command)
    {
        var candidates = command.Options.SelectMany(option => option.Aliases.Prepend(option.Name))
            .Concat(command.Parents.OfType<Command>().SelectMany(parent => parent.Options.Where(option => option.Recursive)).SelectMany(option => option.Aliases.Prepend(option.Name)))
            .Where(candidate => candidate.StartsWith("--", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);
        var best = candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(name, candidate)))
            .Where(pair => pair.Distance <= SuggestionDistance || (name.Length > 3 && pair.Candidate.StartsWith(name, StringComparison.Ordinal)))
            .OrderBy(pair => pair.Distance)
            .ThenBy(pair => pair.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate;
    }

    /// <summary><c>-x</c> or <c>--name</c>; not <c>-</c> (stdin) and not a negative number.</summary>
    private static bool LooksLikeOption(string value) =>
        value.Length > 1 && value[0] == '-' && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>Whether the parser gave <paramref name="token"/> to an option (<c>--template -x</c>), which is the user's value.</summary>
    private static bool IsOptionValue(ParseResult parseResult, Token token)
    {
        for (SymbolResult? result = parseResult.CommandResult; result is not null; result = result.Parent)
        {
            if (result is CommandResult commandResult
                && commandResult.Children.OfType<OptionResult>().Any(option => option.Tokens.Any(t => ReferenceEquals(t, token))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Optimal string alignment distance (Levenshtein with transpositions: <c>--recrod</c> is one edit from <c>--record</c>).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
