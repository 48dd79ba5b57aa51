using System.CommandLine;
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
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = options.ToRequest(parseResult, ecr);
            using var services = CommandServices.Create(parseResult);
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
