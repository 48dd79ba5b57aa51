using TagForge.Errors;
using TagForge.Release;
using TagForge.Services;

namespace TagForge.Engine;

/// <summary>
/// The entry point of every release: <c>tagforge release</c> (one image, <c>--all</c>/<c>--only</c>, several
/// platforms), its <c>--dry-run</c>, and the build-script tasks. The request is layered once; the road is chosen
/// from the layered request (so <c>--platform a,b</c>, <c>TAGFORGE_PLATFORM</c>, <c>platform:</c> and
/// <c>SetPlatform("a,b")</c> all make an index); <see cref="ImagePlanner"/> makes the plan and
/// <see cref="ReleaseExecutor"/> runs it. One image for one platform is a plan of one entry (a <c>{seq}</c> in its
/// tag is numbered by the registry at push time).
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
    /// The dry run of one image on one platform: the plan of one entry decides its identity and tag (as the release
    /// does), and the step shows the commands it would run with them. Nothing is built, pushed or written.
    /// </summary>
    public static async Task<OneImagePreview> PreviewOneAsync(ReleaseRequest release, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(services);
        var (_, plan) = await ImagePlanner.PlanAsync(new MonorepoRequest { Release = release, OneImage = true, Jobs = 1 }, services, cancellationToken).ConfigureAwait(false);
        var entry = plan.Images.Single();
        var step = await ReleasePlanner.PlanAsync(
            release with { ContentIdentity = entry.ContentHash, PullBases = entry.PullBases, Tag = release.Tag with { Content = entry.ContentHash, Time = plan.Time } },
            services,
            cancellationToken).ConfigureAwait(false);
        return new OneImagePreview(plan, step);
    }

    /// <summary>
    /// Releases the one image <paramref name="release"/> names, as a plan of one entry: for several platforms an
    /// index (outputs once, the index's digest), else one manifest under its tag.
    /// </summary>
    /// <exception cref="TagForgeException">What the release failed with (its exit code).</exception>
    public static async Task<ReleaseResult> ReleaseOneAsync(ReleaseRequest release, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(services);
        if (release.SkipBuild || release.SkipPush)
        {
            throw new ArgumentException("a release builds and pushes: build or push alone run through ReleaseRunner", nameof(release));
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

        return new ReleaseResult(record.Tag, record.ImageId ?? "", record.Digest, record.Reference, record, outcome.Pushed, result.RecordPath, record.Repository, outcome.BuiltWith);
    }
}

/// <summary>The dry run of one image on one platform.</summary>
/// <param name="Plan">The plan of one entry the release would run (the same as <c>tagforge plan</c> writes).</param>
/// <param name="Step">The step that entry runs: its tag, docker commands, the registry's answer and the record.</param>
public sealed record OneImagePreview(ReleasePlanFile Plan, ReleasePlan Step)
{
    /// <summary>The one entry of <see cref="Plan"/>.</summary>
    public PlannedImageEntry Entry => Plan.Images[0];
}
