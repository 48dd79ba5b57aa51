using System.CommandLine;
using TagForge.Monorepo;
using TagForge.Release;
using TagForge.Services;

namespace TagForge.Cli.Commands;

/// <summary>
/// Where <c>tagforge release</c> goes when it is not one image for one platform: <c>--all</c>/<c>--only</c> (images:),
/// <c>--plan</c> (one matrix job), or <c>--platform a,b</c> (one image, an index, one runner).
/// </summary>
internal static class MonorepoRouting
{
    /// <summary>The exit code when the command line asked for one of those; null for a plain release.</summary>
    public static async Task<int?> RunAsync(ParseResult parseResult, MultiImageOptions multi, ReleaseRequest request, TagForgeServices services, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (parseResult.GetValue(multi.Plan) is { } plan)
        {
            var job = await PlanReleaseOperation.RunAsync(
                new PlanReleaseRequest { PlanPath = plan, Image = request.Image, Platform = request.Platform, Release = request with { Image = null, Platform = null } },
                services,
                cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(job.Entry?.Reference ?? "reused (the plan builds nothing for this image)").ConfigureAwait(false);
            return 0;
        }

        if (multi.Selected(parseResult))
        {
            var result = await MonorepoRunner.RunAsync(multi.ToRequest(parseResult, request), services, cancellationToken).ConfigureAwait(false);
            MultiImageOptions.PrintSummary(output, result);
            return (int)result.ExitCode;
        }

        if (request.Platform?.Contains(',', StringComparison.Ordinal) == true)
        {
            var result = await MultiPlatformRelease.ReleaseAsync(request, services, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(result.Reference).ConfigureAwait(false);
            return 0;
        }

        return null;
    }
}
