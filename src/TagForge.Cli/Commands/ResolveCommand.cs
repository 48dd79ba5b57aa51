using System.CommandLine;
using TagForge.Pinning;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge resolve</c>: pins every image to the digest its registry holds now.</summary>
internal static class ResolveCommand
{
    public static Command Create()
    {
        var paths = DeploymentRun.PathsArgument();
        var format = DeploymentRun.FormatOption();
        var style = new Option<string>("--style") { Description = "tag-digest (keep the tag: repository:tag@sha256:…) or digest (repository@sha256:…)", DefaultValueFactory = _ => "tag-digest" };
        style.AcceptOnlyFromAmong("tag-digest", "digest");
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print a unified diff instead of writing" };
        var registry = new RegistryOptions();
        var command = new Command("resolve", "Pin every image, in a record or not, to the digest its registry holds now (like kbld, changing nothing else)")
        {
            paths, style, dryRun, format,
        };
        registry.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (files, outcomes) = DeploymentRun.LoadAll(parseResult.GetValue(paths)!);
            using var session = registry.CreateClient(parseResult);
            var options = new RegistryCheckOptions(registry.Parallelism(parseResult), parseResult.GetValue(style) == "digest" ? PinStyle.Digest : PinStyle.TagDigest);
            var result = await RegistryChecks.ResolveAsync(files, session.Client, options, cancellationToken).ConfigureAwait(false);
            var isDryRun = parseResult.GetValue(dryRun);

            var report = new FileOutcome();
            report.Findings.AddRange(result.Findings);
            report.Failures.AddRange(result.Failures);
            if (result.Failures.Count == 0)
            {
                // Write only when every registry answered: a half-resolved tree is worse than none.
                var written = new FileOutcome[result.Files.Count];
                Parallel.For(0, result.Files.Count, i =>
                {
                    var pin = result.Files[i];
                    var outcome = new FileOutcome { File = pin.File.Name };
                    outcome.Changes.AddRange(pin.Changes);
                    try
                    {
                        if (isDryRun)
                        {
                            outcome.Output = UnifiedDiff.Create(pin.File.Name, pin.File.Source.Text, pin.Text);
                        }
                        else if (pin.Changed || pin.File.Name == "-")
                        {
                            DeploymentRun.Write(pin.File, pin.Text, outcome);
                        }

                        if (pin.Changed && pin.File.Name != "-")
                        {
                            outcome.Note = $"{(isDryRun ? "would resolve" : "resolved")} {DeploymentRun.Plural(pin.Changes.Count, "image")} in {pin.File.Name}";
                        }
                    }
                    catch (Errors.BadInputException ex)
                    {
                        outcome.Error = ex.Message;
                    }

                    written[i] = outcome;
                });
                outcomes.AddRange(written);
            }

            outcomes.Add(report);
            var summary = $"{DeploymentRun.Plural(result.Requests, "distinct reference")} resolved; {(isDryRun ? "would change" : "changed")} {DeploymentRun.Plural(outcomes.Sum(o => o.Changes.Count), "image")}";
            return DeploymentRun.Report(parseResult, parseResult.GetValue(format)!, outcomes, summary);
        });
        return command;
    }
}
