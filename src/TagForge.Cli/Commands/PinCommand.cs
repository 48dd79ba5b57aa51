using System.CommandLine;
using TagForge.Pinning;
using TagForge.Records;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge pin</c>: pins the images of deployment files to the digests in a build record.</summary>
internal static class PinCommand
{
    public static Command Create()
    {
        var paths = DeploymentRun.PathsArgument();
        var record = new Option<string>("--record", "-r") { Description = "The build record to pin from", DefaultValueFactory = _ => BuildRecordFile.DefaultPath };
        var style = new Option<string>("--style") { Description = "tag-digest (repository:tag@sha256:…) or digest (repository@sha256:…)", DefaultValueFactory = _ => "tag-digest" };
        style.AcceptOnlyFromAmong("tag-digest", "digest");
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print a unified diff instead of writing" };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 3 listing every reference not pinned to the record's digest" };
        var format = DeploymentRun.FormatOption();

        var command = new Command("pin", "Pin images in Kubernetes, kustomize, Compose, ECS, Dockerrun and Helm values files to the digests in a build record, changing nothing else")
        {
            paths, record, style, dryRun, check, format,
        };

        command.SetAction(parseResult =>
        {
            var index = new RecordIndex(BuildRecordFile.Read(parseResult.GetValue(record)!));
            var options = new PinOptions(parseResult.GetValue(style) == "digest" ? PinStyle.Digest : PinStyle.TagDigest);
            var isCheck = parseResult.GetValue(check);
            var isDryRun = parseResult.GetValue(dryRun);

            var matched = 0;
            var outcomes = DeploymentRun.ForEachFile(parseResult.GetValue(paths)!, file =>
            {
                var result = Pinner.Pin(file, index, options);
                var outcome = new FileOutcome();
                Interlocked.Add(ref matched, file.Images.Count(site => site.Reference is { } reference && index.TryGet(reference, out _, out _)));
                if (isCheck)
                {
                    outcome.Findings.AddRange(result.Findings);
                    return outcome;
                }

                outcome.Changes.AddRange(result.Changes);
                if (isDryRun)
                {
                    outcome.Output = UnifiedDiff.Create(file.Name, file.Source.Text, result.Text);
                }
                else if (result.Changed || file.Name == "-")
                {
                    DeploymentRun.Write(file, result.Text, outcome);
                }

                if (result.Changed && file.Name != "-")
                {
                    outcome.Note = $"{(isDryRun ? "would pin" : "pinned")} {DeploymentRun.Plural(result.Changes.Count, "image")} in {file.Name}";
                }

                return outcome;
            });

            if (matched == 0 && outcomes.Any(outcome => outcome.Error is null))
            {
                // A deploy step that pins nothing deploys whatever the files said: say so loudly.
                parseResult.InvocationConfiguration.Error.WriteLine(
                    $"{CliApp.Prefix} warning: no image in these files is in the record {parseResult.GetValue(record)} ({DeploymentRun.Plural(index.Count, "repository")}); check the repository names");
            }

            var changed = outcomes.Sum(outcome => outcome.Changes.Count);
            var summary = isCheck
                ? null
                : $"{(isDryRun ? "would pin" : "pinned")} {DeploymentRun.Plural(changed, "image")} in {DeploymentRun.Plural(outcomes.Count(o => o.Changes.Count > 0), "file")}";
            return DeploymentRun.Report(parseResult, parseResult.GetValue(format)!, outcomes, summary);
        });
        return command;
    }
}
