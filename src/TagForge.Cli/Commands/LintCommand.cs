using System.CommandLine;
using TagForge.Operations;
using TagForge.Pinning;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge lint</c>: references a deployment cannot rely on (no tag, floating tags, no digest).</summary>
internal static class LintCommand
{
    public static Command Create()
    {
        var paths = DeploymentOptions.PathsArgument();
        var floating = new Option<string?>("--floating-tags")
        {
            Description = $"Comma-separated tags that move (default: {string.Join(',', Linter.DefaultFloatingTags)})",
        };
        var format = DeploymentOptions.FormatOption();
        var command = new Command("lint", "Report images with no tag, latest or another floating tag and no digest (exit 3), and imagePullPolicy: Always on mutable tags")
        {
            paths, floating, format,
        };

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var request = new LintRequest
            {
                Paths = parseResult.GetValue(paths)!,
                StandardInput = DeploymentOptions.StandardInput(parseResult.GetValue(paths)!),
                FloatingTags = parseResult.GetValue(floating)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            var result = await LintOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            return DeploymentReport.Print(parseResult, parseResult.GetValue(format)!, result, services.Environment);
        });
        return command;
    }
}
