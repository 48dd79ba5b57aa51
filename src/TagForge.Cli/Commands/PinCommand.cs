using System.CommandLine;
using TagForge.Operations;
using TagForge.Pinning;
using TagForge.Records;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge pin</c>: pins the images of deployment files to the digests in a build record.</summary>
internal static class PinCommand
{
    public static Command Create()
    {
        var paths = DeploymentOptions.PathsArgument();
        var record = new Option<string>("--record", "-r") { Description = "The build record to pin from", DefaultValueFactory = _ => BuildRecordFile.DefaultPath };
        var style = new Option<string>("--style") { Description = "tag-digest (repository:tag@sha256:…) or digest (repository@sha256:…)", DefaultValueFactory = _ => "tag-digest" };
        style.AcceptOnlyFromAmong("tag-digest", "digest");
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print a unified diff instead of writing" };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 3 listing every reference not pinned to the record's digest" };
        var format = DeploymentOptions.FormatOption();

        var command = new Command("pin", "Pin images in Kubernetes, kustomize, Compose, ECS, Dockerrun and Helm values files to the digests in a build record, changing nothing else")
        {
            paths, record, style, dryRun, check, format,
        };

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var request = new PinRequest
            {
                Paths = parseResult.GetValue(paths)!,
                StandardInput = DeploymentOptions.StandardInput(parseResult.GetValue(paths)!),
                Record = parseResult.GetValue(record),
                Style = parseResult.GetValue(style) == "digest" ? PinStyle.Digest : PinStyle.TagDigest,
                DryRun = parseResult.GetValue(dryRun),
                Check = parseResult.GetValue(check),
            };
            var result = await PinOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            return DeploymentReport.Print(parseResult, parseResult.GetValue(format)!, result, services.Environment);
        });
        return command;
    }
}
