using System.CommandLine;
using TagForge.Engine;
using TagForge.Release;
using TagForge.Services;

namespace TagForge.Cli.Commands;

/// <summary>
/// Binds <c>tagforge release</c> to the engine when it is not one image for one platform: <c>--all</c>/<c>--only</c>
/// (images:), <c>--plan</c> (one matrix job), or several platforms from any layer (an index). The road is the
/// engine's to choose from the layered request; <c>--dry-run</c> prints the plan on every road and runs nothing.
/// </summary>
internal static class MonorepoRouting
{
    /// <summary>The exit code when the command line asked for one of those; null for one image on one platform.</summary>
    public static async Task<int?> RunAsync(ParseResult parseResult, MultiImageOptions multi, ReleaseReport report, ReleaseRequest request, TagForgeServices services, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var dryRun = parseResult.GetValue(report.DryRun);
        if (parseResult.GetValue(multi.Plan) is { } plan)
        {
            var job = new PlanReleaseRequest { PlanPath = plan, Image = request.Image, Platform = request.Platform, Release = request with { Image = null, Platform = null } };
            if (dryRun)
            {
                return PlanReport.PrintJob(parseResult, report, await PlanReleaseOperation.SliceAsync(job, services, cancellationToken).ConfigureAwait(false));
            }

            var done = await PlanReleaseOperation.RunAsync(job, services, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(done.Entry?.Reference ?? "reused (the plan builds nothing for this image)").ConfigureAwait(false);
            return 0;
        }

        MonorepoRequest? engine = multi.Selected(parseResult) ? multi.ToRequest(parseResult, request)
            : ReleaseEngine.IsMultiPlatform(request, services) ? new MonorepoRequest { Release = request, OneImage = true, Jobs = 1 }
            : null;
        if (engine is null)
        {
            return null;
        }

        if (dryRun)
        {
            return PlanReport.Print(parseResult, report, await ReleaseEngine.PlanAsync(engine, services, cancellationToken).ConfigureAwait(false));
        }

        if (engine.OneImage)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var one = await ReleaseEngine.ReleaseOneAsync(request, services, cancellationToken).ConfigureAwait(false);
            report.Print(parseResult, one, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return 0;
        }

        var result = await ReleaseEngine.RunAsync(engine, services, cancellationToken).ConfigureAwait(false);
        MultiImageOptions.PrintSummary(output, result);
        return (int)result.ExitCode;
    }
}
