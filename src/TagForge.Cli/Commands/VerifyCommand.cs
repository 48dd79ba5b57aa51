using System.CommandLine;
using TagForge.Operations;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge verify</c>: every digest-pinned image still exists in its registry.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var paths = DeploymentOptions.PathsArgument();
        var format = DeploymentOptions.FormatOption();
        var registry = new RegistryOptions();
        var quiet = ProgressOptions.Quiet();
        var command = new Command("verify", "Check that every digest-pinned image still exists in its registry (missing: exit 3; registry unreachable: exit 1)")
        {
            paths, format, quiet,
        };
        registry.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult, progress: !parseResult.GetValue(quiet));
            var request = new VerifyRequest
            {
                Paths = parseResult.GetValue(paths)!,
                StandardInput = DeploymentOptions.StandardInput(parseResult.GetValue(paths)!),
                MaxConcurrency = registry.MaxConcurrency(parseResult),
                Registry = registry.Access(parseResult),
            };
            var result = await VerifyOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            return DeploymentReport.Print(parseResult, parseResult.GetValue(format)!, result, services.Environment);
        });
        return command;
    }
}
