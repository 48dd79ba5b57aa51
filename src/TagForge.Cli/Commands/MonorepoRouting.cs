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
    /// <summary>The exit code when the command line asked for one of those; null for one image (the release command runs it).</summary>
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

        if (!multi.Selected(parseResult))
        {
            // One image: the release itself takes the road its layered request asks for (one platform, or an index),
            // so only its dry run, which prints a plan of several platforms differently, asks here.
            return dryRun && ReleaseEngine.IsMultiPlatform(request, services)
                ? PlanReport.Print(parseResult, report, await ReleaseEngine.PlanAsync(new MonorepoRequest { Release = request, OneImage = true, Jobs = 1 }, services, cancellationToken).ConfigureAwait(false))
                : null;
        }

        var engine = multi.ToRequest(parseResult, request);
        if (dryRun)
        {
            return PlanReport.Print(parseResult, report, await ReleaseEngine.PlanAsync(engine, services, cancellationToken).ConfigureAwait(false));
        }

        var result = await ReleaseEngine.RunAsync(engine, services, cancellationToken).ConfigureAwait(false);
        MultiImageOptions.PrintSummary(output, result);
        return (int)result.ExitCode;
    }
}
