using TagForge.Tagging;

namespace TagForge.Tasks;

/// <summary>Settings of <see cref="TagForgeTasks.Tag(TagSettings)"/>: what decides a tag. Unset values take TagForge's defaults.</summary>
public sealed record TagSettings : TagForgeSettings
{
    /// <summary>The template, e.g. <c>v.{sha:8}_{time:yyyyMMddHHmm}-{build}</c>; <see cref="TagPresets.Default"/> when neither it nor <see cref="Preset"/> is set.</summary>
    public string? Template { get; init; }

    /// <summary>A named template from <see cref="TagPresets"/>.</summary>
    public string? Preset { get; init; }

    /// <summary>Overrides the CI system's build number for <c>{build}</c>.</summary>
    public string? BuildNumber { get; init; }

    /// <summary>The build time for <c>{time}</c>; else <c>SOURCE_DATE_EPOCH</c>, else now.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>What a dirty working tree does to the tag; <see cref="DirtyMode.Suffix"/> when unset.</summary>
    public DirtyMode? Dirty { get; init; }

    /// <summary>The value of <c>{seq}</c>.</summary>
    public long? Sequence { get; init; }

    /// <summary>The clock for "now"; the system clock when unset.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The core request these settings describe.</summary>
    public TagRequest ToRequest() => new()
    {
        Template = Template,
        Preset = Preset,
        RepositoryPath = EffectiveWorkingDirectory,
        BuildNumber = BuildNumber,
        Time = Time,
        Dirty = Dirty,
        Sequence = Sequence,
        Environment = EffectiveEnvironment,
        Clock = Clock,
    };
}

/// <summary>Fluent setters of <see cref="TagSettings"/>; each returns a changed copy.</summary>
public static class TagSettingsExtensions
{
    /// <summary>Sets <see cref="TagSettings.Template"/>.</summary>
    public static TagSettings SetTemplate(this TagSettings settings, string? template) => settings with { Template = template };

    /// <summary>Resets <see cref="TagSettings.Template"/>.</summary>
    public static TagSettings ResetTemplate(this TagSettings settings) => settings with { Template = null };

    /// <summary>Sets <see cref="TagSettings.Preset"/>.</summary>
    public static TagSettings SetPreset(this TagSettings settings, string? preset) => settings with { Preset = preset };

    /// <summary>Resets <see cref="TagSettings.Preset"/>.</summary>
    public static TagSettings ResetPreset(this TagSettings settings) => settings with { Preset = null };

    /// <summary>Sets <see cref="TagSettings.BuildNumber"/>.</summary>
    public static TagSettings SetBuildNumber(this TagSettings settings, string? buildNumber) => settings with { BuildNumber = buildNumber };

    /// <summary>Resets <see cref="TagSettings.BuildNumber"/>.</summary>
    public static TagSettings ResetBuildNumber(this TagSettings settings) => settings with { BuildNumber = null };

    /// <summary>Sets <see cref="TagSettings.Time"/>.</summary>
    public static TagSettings SetTime(this TagSettings settings, DateTimeOffset? time) => settings with { Time = time };

    /// <summary>Resets <see cref="TagSettings.Time"/>.</summary>
    public static TagSettings ResetTime(this TagSettings settings) => settings with { Time = null };

    /// <summary>Sets <see cref="TagSettings.Dirty"/>.</summary>
    public static TagSettings SetDirty(this TagSettings settings, DirtyMode? dirty) => settings with { Dirty = dirty };

    /// <summary>Resets <see cref="TagSettings.Dirty"/>.</summary>
    public static TagSettings ResetDirty(this TagSettings settings) => settings with { Dirty = null };

    /// <summary>Sets <see cref="TagSettings.Sequence"/>.</summary>
    public static TagSettings SetSequence(this TagSettings settings, long? sequence) => settings with { Sequence = sequence };

    /// <summary>Resets <see cref="TagSettings.Sequence"/>.</summary>
    public static TagSettings ResetSequence(this TagSettings settings) => settings with { Sequence = null };

    /// <summary>Sets <see cref="TagSettings.Clock"/>.</summary>
    public static TagSettings SetClock(this TagSettings settings, TimeProvider? clock) => settings with { Clock = clock };

    /// <summary>Resets <see cref="TagSettings.Clock"/>.</summary>
    public static TagSettings ResetClock(this TagSettings settings) => settings with { Clock = null };
}
