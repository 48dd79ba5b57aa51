using System.CommandLine;
using TagForge.Pinning;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge verify</c>: every digest-pinned image still exists in its registry.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var paths = DeploymentRun.PathsArgument();
        var format = DeploymentRun.FormatOption();
        var registry = new RegistryOptions();
        var command = new Command("verify", "Check that every digest-pinned image still exists in its registry (missing: exit 3; registry unreachable: exit 1)")
        {
            paths, format,
        };
        registry.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (files, outcomes) = DeploymentRun.LoadAll(parseResult.GetValue(paths)!);
            using var session = registry.CreateClient(parseResult);
            var result = await RegistryChecks.VerifyAsync(files, session.Client, new RegistryCheckOptions(registry.Parallelism(parseResult)), cancellationToken).ConfigureAwait(false);
            var outcome = new FileOutcome();
            outcome.Findings.AddRange(result.Findings);
            outcome.Failures.AddRange(result.Failures);
            outcomes.Add(outcome);
            var pinned = files.Sum(file => file.Images.Count(site => site.Reference?.Digest is not null));
            var summary = $"verified {DeploymentRun.Plural(pinned, "pinned image")} ({DeploymentRun.Plural(result.Requests, "distinct digest")}): {result.Findings.Count} missing, {result.Failures.Count} not checked";
            return DeploymentRun.Report(parseResult, parseResult.GetValue(format)!, outcomes, summary);
        });
        return command;
    }
}
