using TagForge.Engine;

namespace TagForge.Tasks;

/// <summary>The settings of <see cref="TagForgeTasks.ReleaseImages(MonorepoSettings)"/>: the images of <c>images:</c> in tagforge.yml.</summary>
public sealed record MonorepoSettings : TagForgeSettings
{
    /// <summary>The request the CLI's <c>release --all</c> / <c>--only</c> fills.</summary>
    public MonorepoRequest Request { get; init; } = new() { Release = new() { OptionNames = Release.ReleaseOptionNames.Tasks } };
}

/// <summary>The settings of <see cref="TagForgeTasks.Plan(PlanSettings)"/>: <c>tagforge plan</c>.</summary>
public sealed record PlanSettings : TagForgeSettings
{
    /// <summary>The request the CLI's <c>plan</c> fills.</summary>
    public PlanRequest Request { get; init; } = new() { Release = new() { Release = new() { OptionNames = Release.ReleaseOptionNames.Tasks } } };
}

/// <summary>The settings of <see cref="TagForgeTasks.ReleasePlanJob(PlanReleaseSettings)"/>: one job of a plan.</summary>
public sealed record PlanReleaseSettings : TagForgeSettings
{
    /// <summary>The request the CLI's <c>release --plan</c> fills.</summary>
    public PlanReleaseRequest Request { get; init; } = new() { Release = new() { OptionNames = Release.ReleaseOptionNames.Tasks } };
}

/// <summary>The settings of <see cref="TagForgeTasks.MergeRecords(MergeRecordsSettings)"/>: <c>tagforge record merge</c>.</summary>
public sealed record MergeRecordsSettings : TagForgeSettings
{
    /// <summary>The request the CLI's <c>record merge</c> fills.</summary>
    public MergeRecordsRequest Request { get; init; } = new();
}
