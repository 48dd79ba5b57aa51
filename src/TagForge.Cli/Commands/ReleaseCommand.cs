using System.CommandLine;
using TagForge.Cli.Live;
using TagForge.Engine;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge release</c>: tag, build, push (never overwriting by accident), confirm and record.</summary>
internal static class ReleaseCommand
{
    public static Command Create()
    {
        var options = new ReleaseOptions(build: true, push: true);
        var command = new Command("release", "Tag, build, push and record one image: prints repository@digest");
        options.AddTo(command);
        var ecr = new EcrReleaseOptions();
        ecr.AddTo(command);
        var report = new ReleaseReport();
        report.AddTo(command);
        var multi = new MultiImageOptions();
        multi.AddTo(command, withPlan: true);
        var quiet = ProgressOptions.Quiet();
        quiet.Description = "No progress on stderr: no live table on a terminal, no TagForge progress lines or docker output (warnings and errors still are)";
        command.Add(quiet);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = options.ToRequest(parseResult, ecr);
            var view = StderrViews.Choose(parseResult.GetValue(quiet), StderrViews.IsTerminal(parseResult.InvocationConfiguration.Error), IO.ProcessEnvironment.Instance);
            using var services = CommandServices.Create(parseResult, view, out var table);
            // The table ends itself once every image has settled, before the summary on stdout; disposing it ends it
            // too when the release throws, before the error line.
            using var liveTable = table;
            if (await MonorepoRouting.RunAsync(parseResult, multi, report, request, services, cancellationToken).ConfigureAwait(false) is { } exitCode)
            {
                return exitCode;
            }

            if (parseResult.GetValue(report.DryRun))
            {
                var plan = await ReleaseEngine.PreviewOneAsync(request, services, cancellationToken).ConfigureAwait(false);
                return report.PrintPlan(parseResult, plan);
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await ReleaseEngine.ReleaseOneAsync(request, services, cancellationToken).ConfigureAwait(false);
            report.Print(parseResult, result, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return 0;
        });
        return command;
    }
}
