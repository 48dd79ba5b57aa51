using TagForge.Engine;
using TagForge.Release;
using TagForge.Services;

namespace TagForge.Tasks;

/// <summary>Fluent setters for <see cref="MonorepoSettings"/> (<c>release --all</c>/<c>--only</c>), one per member of its request.</summary>
public static class MonorepoSettingsExtensions
{
    /// <summary>Releases only these images of <c>images:</c> (and what they depend on); all of them when none is given.</summary>
    public static MonorepoSettings SetOnly(this MonorepoSettings settings, params IEnumerable<string> names) => Edit(settings, r => r with { Only = [.. names] });

    /// <summary>Adds images to release (<c>--only</c>).</summary>
    public static MonorepoSettings AddOnly(this MonorepoSettings settings, params IEnumerable<string> names) => Edit(settings, r => r with { Only = [.. r.Only, .. names] });

    /// <summary>Releases every image of <c>images:</c>.</summary>
    public static MonorepoSettings ClearOnly(this MonorepoSettings settings) => Edit(settings, r => r with { Only = [] });

    /// <summary>How many images build at once (<c>--jobs</c>; at least 1).</summary>
    public static MonorepoSettings SetJobs(this MonorepoSettings settings, int? jobs) => Edit(settings, r => r with { Jobs = jobs });

    /// <summary>Builds as many images at once as there are processors.</summary>
    public static MonorepoSettings ResetJobs(this MonorepoSettings settings) => Edit(settings, r => r with { Jobs = null });

    /// <summary>Reuses an image whose content identity the registry already holds (<c>--skip-unchanged</c>).</summary>
    public static MonorepoSettings EnableSkipUnchanged(this MonorepoSettings settings) => Edit(settings, r => r with { SkipUnchanged = true });

    /// <summary>Builds every image.</summary>
    public static MonorepoSettings DisableSkipUnchanged(this MonorepoSettings settings) => Edit(settings, r => r with { SkipUnchanged = false });

    /// <summary>Puts the release's tag on a reused image too (<c>--tag-reused</c>).</summary>
    public static MonorepoSettings EnableTagReused(this MonorepoSettings settings) => Edit(settings, r => r with { TagReused = true });

    /// <summary>Leaves reused images with the tags they have.</summary>
    public static MonorepoSettings DisableTagReused(this MonorepoSettings settings) => Edit(settings, r => r with { TagReused = false });

    /// <summary>Takes git's word for what changed since <paramref name="revision"/> (<c>--changed-since</c>).</summary>
    public static MonorepoSettings SetChangedSince(this MonorepoSettings settings, string? revision) => Edit(settings, r => r with { ChangedSince = revision });

    /// <summary>Compares identities only.</summary>
    public static MonorepoSettings ResetChangedSince(this MonorepoSettings settings) => Edit(settings, r => r with { ChangedSince = null });

    /// <summary>The release every image shares (registry access, record, tag template…).</summary>
    public static MonorepoSettings SetRelease(this MonorepoSettings settings, ReleaseRequest release) => Edit(settings, r => r with { Release = release });

    private static MonorepoSettings Edit(MonorepoSettings settings, Func<MonorepoRequest, MonorepoRequest> edit)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with { Request = edit(settings.Request) };
    }
}

/// <summary>Fluent setters for <see cref="PlanSettings"/> (<c>tagforge plan</c>).</summary>
public static class PlanSettingsExtensions
{
    /// <summary>Writes the plan to <paramref name="path"/> (<c>-o</c>).</summary>
    public static PlanSettings SetOutput(this PlanSettings settings, string? path) => settings.Edit(r => r with { Output = path });

    /// <summary>Writes no plan file (the result still holds it).</summary>
    public static PlanSettings ResetOutput(this PlanSettings settings) => settings.Edit(r => r with { Output = null });

    /// <summary>What the plan covers: the images, reuse and the shared release (<see cref="MonorepoSettingsExtensions"/>'s request).</summary>
    public static PlanSettings SetImages(this PlanSettings settings, MonorepoRequest images) => settings.Edit(r => r with { Release = images });

    private static PlanSettings Edit(this PlanSettings settings, Func<PlanRequest, PlanRequest> edit)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with { Request = edit(settings.Request) };
    }
}

/// <summary>Fluent setters for <see cref="PlanReleaseSettings"/> (one job of a plan: <c>release --plan</c>).</summary>
public static class PlanReleaseSettingsExtensions
{
    /// <summary>The plan file the job runs a slice of.</summary>
    public static PlanReleaseSettings SetPlan(this PlanReleaseSettings settings, string? path) => settings.Edit(r => r with { PlanPath = path });

    /// <summary>The image of the plan this job builds (its <c>images:</c> name).</summary>
    public static PlanReleaseSettings SetImage(this PlanReleaseSettings settings, string? name) => settings.Edit(r => r with { Image = name });

    /// <summary>The platform this job builds (<c>linux/arm64</c>).</summary>
    public static PlanReleaseSettings SetPlatform(this PlanReleaseSettings settings, string? platform) => settings.Edit(r => r with { Platform = platform });

    /// <summary>Builds the image's only platform.</summary>
    public static PlanReleaseSettings ResetPlatform(this PlanReleaseSettings settings) => settings.Edit(r => r with { Platform = null });

    /// <summary>The release settings the job pushes with (registry access, record…).</summary>
    public static PlanReleaseSettings SetRelease(this PlanReleaseSettings settings, ReleaseRequest release) => settings.Edit(r => r with { Release = release });

    private static PlanReleaseSettings Edit(this PlanReleaseSettings settings, Func<PlanReleaseRequest, PlanReleaseRequest> edit)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with { Request = edit(settings.Request) };
    }
}

/// <summary>Fluent setters for <see cref="MergeRecordsSettings"/> (<c>tagforge record merge</c>).</summary>
public static class MergeRecordsSettingsExtensions
{
    /// <summary>The partial records to merge.</summary>
    public static MergeRecordsSettings SetParts(this MergeRecordsSettings settings, params IEnumerable<string> parts) => settings.Edit(r => r with { Parts = [.. parts] });

    /// <summary>Adds partial records to merge.</summary>
    public static MergeRecordsSettings AddParts(this MergeRecordsSettings settings, params IEnumerable<string> parts) => settings.Edit(r => r with { Parts = [.. r.Parts, .. parts] });

    /// <summary>Merges no part.</summary>
    public static MergeRecordsSettings ClearParts(this MergeRecordsSettings settings) => settings.Edit(r => r with { Parts = [] });

    /// <summary>The merged record (<c>-o</c>).</summary>
    public static MergeRecordsSettings SetOutput(this MergeRecordsSettings settings, string? path) => settings.Edit(r => r with { Output = path });

    /// <summary>Writes the merged record to the default path.</summary>
    public static MergeRecordsSettings ResetOutput(this MergeRecordsSettings settings) => settings.Edit(r => r with { Output = null });

    /// <summary>Pushes each image's OCI index of its platform manifests (<c>--push-index</c>).</summary>
    public static MergeRecordsSettings EnablePushIndex(this MergeRecordsSettings settings) => settings.Edit(r => r with { PushIndex = true });

    /// <summary>Merges the records only.</summary>
    public static MergeRecordsSettings DisablePushIndex(this MergeRecordsSettings settings) => settings.Edit(r => r with { PushIndex = false });

    /// <summary>The plan the parts were built from (checks every planned platform is there).</summary>
    public static MergeRecordsSettings SetPlan(this MergeRecordsSettings settings, string? path) => settings.Edit(r => r with { PlanPath = path });

    /// <summary>Merges without a plan.</summary>
    public static MergeRecordsSettings ResetPlan(this MergeRecordsSettings settings) => settings.Edit(r => r with { PlanPath = null });

    /// <summary>Moves an index tag that holds another digest (<c>--allow-overwrite</c>).</summary>
    public static MergeRecordsSettings EnableAllowOverwrite(this MergeRecordsSettings settings) => settings.Edit(r => r with { AllowOverwrite = true });

    /// <summary>Refuses to move an index tag that holds another digest (exit 3).</summary>
    public static MergeRecordsSettings DisableAllowOverwrite(this MergeRecordsSettings settings) => settings.Edit(r => r with { AllowOverwrite = false });

    /// <summary>How the registries are reached (credentials, insecure hosts, ECR).</summary>
    public static MergeRecordsSettings SetRegistry(this MergeRecordsSettings settings, RegistryAccess access) => settings.Edit(r => r with { Registry = access });

    private static MergeRecordsSettings Edit(this MergeRecordsSettings settings, Func<MergeRecordsRequest, MergeRecordsRequest> edit)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with { Request = edit(settings.Request) };
    }
}
