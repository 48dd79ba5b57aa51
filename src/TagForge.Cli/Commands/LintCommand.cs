using System.CommandLine;
using TagForge.Pinning;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge lint</c>: references a deployment cannot rely on (no tag, floating tags, no digest).</summary>
internal static class LintCommand
{
    public static Command Create()
    {
        var paths = DeploymentRun.PathsArgument();
        var floating = new Option<string?>("--floating-tags")
        {
            Description = $"Comma-separated tags that move (default: {string.Join(',', Linter.DefaultFloatingTags)})",
        };
        var format = DeploymentRun.FormatOption();
        var command = new Command("lint", "Report images with no tag, latest or another floating tag and no digest (exit 3), and imagePullPolicy: Always on mutable tags")
        {
            paths, floating, format,
        };

        command.SetAction(parseResult =>
        {
            var tags = parseResult.GetValue(floating) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : null;
            var options = new LintOptions(tags);
            var outcomes = DeploymentRun.ForEachFile(parseResult.GetValue(paths)!, file =>
            {
                var outcome = new FileOutcome();
                outcome.Findings.AddRange(Linter.Lint(file, options));
                return outcome;
            });
            return DeploymentRun.Report(parseResult, parseResult.GetValue(format)!, outcomes);
        });
        return command;
    }
}
