using System.CommandLine;

namespace TagForge.Cli.Commands;

/// <summary>What the deployment commands (pin, lint, verify, resolve) parse alike: the paths, <c>--format</c>, and stdin for <c>-</c>.</summary>
internal static class DeploymentOptions
{
    public static Argument<string[]> PathsArgument() => new("paths")
    {
        Description = "Deployment files or directories (walked for *.yaml, *.yml, *.json); - reads stdin",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<string> FormatOption()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "text (file:line:column: message) or json",
            DefaultValueFactory = _ => "text",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    /// <summary>stdin's bytes when a path is <c>-</c>, else null (stdin is left alone).</summary>
    public static byte[]? StandardInput(IReadOnlyList<string> paths)
    {
        if (!paths.Contains("-"))
        {
            return null;
        }

        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }
}
