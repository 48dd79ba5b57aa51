using TagForge.Errors;
using TagForge.Release;
using TagForge.Services;

namespace TagForge.Engine;

/// <summary>
/// The entry point of every release: <c>tagforge release</c> (one image, <c>--all</c>/<c>--only</c>, several
/// platforms), its <c>--dry-run</c>, and the build-script tasks. The request is layered once; the road is chosen
/// from the layered request (so <c>--platform a,b</c>, <c>TAGFORGE_PLATFORM</c>, <c>platform:</c> and
/// <c>SetPlatform("a,b")</c> all make an index); <see cref="ImagePlanner"/> makes the plan and
/// <see cref="ReleaseExecutor"/> runs it. One image for one platform keeps the single-image step (its <c>{seq}</c>
/// numbering is the registry's at push time), with the same identity and the same outputs.
/// </summary>
public static class ReleaseEngine
{
    /// <summary>What <paramref name="request"/> would do, changing nothing (the registry is only read).</summary>
    public static async Task<ReleasePlanFile> PlanAsync(MonorepoRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var (_, plan) = await ImagePlanner.PlanAsync(request, services, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    /// <summary>Plans and runs <paramref name="request"/>.</summary>
    /// <exception cref="BadInputException">No <c>images:</c>, an unknown name or <c>depends-on</c>, a cycle, an unreadable record (exit 2).</exception>
    public static async Task<MonorepoResult> RunAsync(MonorepoRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var (prepared, plan) = await ImagePlanner.PlanAsync(request, services, cancellationToken).ConfigureAwait(false);
        return await ReleaseExecutor.RunAsync(request, prepared, plan, services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the one image of <paramref name="release"/>, layered, asks for several platforms (an index).</summary>
    public static bool IsMultiPlatform(ReleaseRequest release, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(services);
        return !release.SkipBuild && !release.SkipPush && PlatformNames.Split(ReleaseConfiguration.Layer(release, services).Platform).Count > 1;
    }

    /// <summary>
    /// Releases the one image <paramref name="release"/> names: for several platforms through the plan (an index,
    /// outputs once, the index's digest), else through the single-image step.
    /// </summary>
    /// <exception cref="TagForgeException">What the release failed with (its exit code).</exception>
    public static async Task<ReleaseResult> ReleaseOneAsync(ReleaseRequest release, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(services);
        if (!IsMultiPlatform(release, services))
        {
            return await ReleaseRunner.RunAsync(release, services, cancellationToken).ConfigureAwait(false);
        }

        var result = await RunAsync(new MonorepoRequest { Release = release, OneImage = true, Jobs = 1 }, services, cancellationToken).ConfigureAwait(false);
        var outcome = result.Images.Single();
        if (outcome.Record is not { } record)
        {
            throw outcome.ExitCode switch
            {
                ExitCode.PolicyRefusal => new PolicyRefusalException(outcome.Message ?? "refused"),
                ExitCode.BadInput => new BadInputException(outcome.Message ?? "bad input"),
                _ => new ExternalFailureException(outcome.Message ?? "failed"),
            };
        }

        return new ReleaseResult(record.Tag, record.ImageId ?? "", record.Digest, record.Reference, record, Pushed: true, result.RecordPath, record.Repository);
    }
}
