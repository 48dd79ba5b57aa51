using TagForge.Engine;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Releases the images of <c>images:</c> (<c>tagforge release --all</c> / <c>--only</c>) in dependency order into one record.</summary>
    /// <returns>One outcome per image; <see cref="MonorepoResult.ExitCode"/> is the worst (a failed image does not throw: its dependants are skipped, the others finish).</returns>
    /// <exception cref="Errors.BadInputException">No images:, an unknown name or depends-on, a cycle.</exception>
    public static MonorepoResult ReleaseImages(MonorepoSettings settings) => Wait(ReleaseImagesAsync(settings));

    /// <inheritdoc cref="ReleaseImages(MonorepoSettings)"/>
    public static MonorepoResult ReleaseImages(Configure<MonorepoSettings> configure) => ReleaseImages(Apply(configure));

    /// <inheritdoc cref="ReleaseImages(MonorepoSettings)"/>
    public static async Task<MonorepoResult> ReleaseImagesAsync(MonorepoSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return await ReleaseEngine.RunAsync(settings.Request, services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decides a matrix release once (<c>tagforge plan</c>): every image's tag, content hash and whether it needs a build.</summary>
    /// <returns>The plan (its <see cref="ReleasePlanFile.MatrixJson"/> is the CI matrix) and where it was written.</returns>
    /// <exception cref="Errors.BadInputException">Bad config, a cycle, {seq} in a template.</exception>
    public static PlanResult Plan(PlanSettings settings) => Wait(PlanAsync(settings));

    /// <inheritdoc cref="Plan(PlanSettings)"/>
    public static PlanResult Plan(Configure<PlanSettings> configure) => Plan(Apply(configure));

    /// <inheritdoc cref="Plan(PlanSettings)"/>
    public static async Task<PlanResult> PlanAsync(PlanSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return await PlanOperation.RunAsync(settings.Request, services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one job of a plan (<c>tagforge release --plan plan.json --image NAME --platform P</c>): one platform, pushed under its own tag, a partial record.</summary>
    /// <exception cref="Errors.BadInputException">A plan for another commit, an image or platform not in the plan.</exception>
    /// <exception cref="Errors.ExternalFailureException">docker or the registry failed; a base not pushed yet.</exception>
    public static PlanReleaseResult ReleasePlanJob(PlanReleaseSettings settings) => Wait(ReleasePlanJobAsync(settings));

    /// <inheritdoc cref="ReleasePlanJob(PlanReleaseSettings)"/>
    public static PlanReleaseResult ReleasePlanJob(Configure<PlanReleaseSettings> configure) => ReleasePlanJob(Apply(configure));

    /// <inheritdoc cref="ReleasePlanJob(PlanReleaseSettings)"/>
    public static async Task<PlanReleaseResult> ReleasePlanJobAsync(PlanReleaseSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return await PlanReleaseOperation.RunAsync(settings.Request, services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Merges a matrix's partial records, pushing each image's OCI index (<c>tagforge record merge --push-index</c>).</summary>
    /// <exception cref="Errors.ExternalFailureException">A planned platform's part is missing (no index pushed).</exception>
    /// <exception cref="Errors.PolicyRefusalException">Parts disagree, or the tag holds another digest.</exception>
    public static MergeRecordsResult MergeRecords(MergeRecordsSettings settings) => Wait(MergeRecordsAsync(settings));

    /// <inheritdoc cref="MergeRecords(MergeRecordsSettings)"/>
    public static MergeRecordsResult MergeRecords(Configure<MergeRecordsSettings> configure) => MergeRecords(Apply(configure));

    /// <inheritdoc cref="MergeRecords(MergeRecordsSettings)"/>
    public static async Task<MergeRecordsResult> MergeRecordsAsync(MergeRecordsSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return await MergeRecordsOperation.RunAsync(settings.Request, services, cancellationToken).ConfigureAwait(false);
    }
}
