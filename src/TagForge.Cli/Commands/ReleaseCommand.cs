using System.CommandLine;

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
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = TextWriter.Synchronized(parseResult.InvocationConfiguration.Error);
            var request = options.ToRequest(parseResult, error);
            if (parseResult.GetValue(report.DryRun))
            {
                return await ReleaseReport.PlanAsync(parseResult, request, cancellationToken).ConfigureAwait(false);
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await ecr.RunAsync(parseResult, request, ReleaseOptions.CreateLogger(error), cancellationToken).ConfigureAwait(false);
            report.Print(parseResult, result, request.RecordPath, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return 0;
        });
        return command;
    }
}
