using System.CommandLine;
using TagForge.Operations;
using TagForge.Pinning;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge resolve</c>: pins every image to the digest its registry holds now.</summary>
internal static class ResolveCommand
{
    public static Command Create()
    {
        var paths = DeploymentOptions.PathsArgument();
        var format = DeploymentOptions.FormatOption();
        var style = new Option<string>("--style") { Description = "tag-digest (keep the tag: repository:tag@sha256:…) or digest (repository@sha256:…)", DefaultValueFactory = _ => "tag-digest" };
        style.AcceptOnlyFromAmong("tag-digest", "digest");
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print a unified diff instead of writing" };
        var registry = new RegistryOptions();
        var quiet = ProgressOptions.Quiet();
        var command = new Command("resolve", "Pin every image, in a record or not, to the digest its registry holds now (like kbld, changing nothing else)")
        {
            paths, style, dryRun, format, quiet,
        };
        registry.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult, progress: !parseResult.GetValue(quiet));
            var request = new ResolveRequest
            {
                Paths = parseResult.GetValue(paths)!,
                StandardInput = DeploymentOptions.StandardInput(parseResult.GetValue(paths)!),
                Style = parseResult.GetValue(style) == "digest" ? PinStyle.Digest : PinStyle.TagDigest,
                DryRun = parseResult.GetValue(dryRun),
                MaxConcurrency = registry.MaxConcurrency(parseResult),
                Registry = registry.Access(parseResult),
            };
            var result = await ResolveOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            return DeploymentReport.Print(parseResult, parseResult.GetValue(format)!, result, services.Environment);
        });
        return command;
    }
}
