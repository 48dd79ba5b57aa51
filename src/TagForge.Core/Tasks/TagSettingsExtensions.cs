using TagForge.Tagging;

namespace TagForge.Tasks;

/// <summary>Fluent setters of what decides a tag, for <see cref="TagSettings"/>, <see cref="BuildSettings"/> and <see cref="ReleaseSettings"/>; each returns a changed copy.</summary>
public static class TagSettingsExtensions
{
    /// <summary>Sets the template, e.g. <c>v.{sha:8}_{time:yyyyMMddHHmm}-{build}</c>.</summary>
    public static T SetTemplate<T>(this T settings, string? template)
        where T : ITagSettings => settings.Edit(tag => tag with { Template = template });

    /// <summary>Resets the template (the preset's, else <see cref="TagPresets.Default"/>).</summary>
    public static T ResetTemplate<T>(this T settings)
        where T : ITagSettings => settings.SetTemplate(null);

    /// <summary>Sets a named template from <see cref="TagPresets"/>.</summary>
    public static T SetPreset<T>(this T settings, string? preset)
        where T : ITagSettings => settings.Edit(tag => tag with { Preset = preset });

    /// <summary>Resets the preset.</summary>
    public static T ResetPreset<T>(this T settings)
        where T : ITagSettings => settings.SetPreset(null);

    /// <summary>Overrides the CI system's build number for <c>{build}</c>.</summary>
    public static T SetBuildNumber<T>(this T settings, string? buildNumber)
        where T : ITagSettings => settings.Edit(tag => tag with { BuildNumber = buildNumber });

    /// <summary>Takes the build number from the CI system again.</summary>
    public static T ResetBuildNumber<T>(this T settings)
        where T : ITagSettings => settings.SetBuildNumber(null);

    /// <summary>Sets the build time for <c>{time}</c> (else <c>SOURCE_DATE_EPOCH</c>, else now).</summary>
    public static T SetTime<T>(this T settings, DateTimeOffset? time)
        where T : ITagSettings => settings.Edit(tag => tag with { Time = time });

    /// <summary>Resets the build time.</summary>
    public static T ResetTime<T>(this T settings)
        where T : ITagSettings => settings.SetTime(null);

    /// <summary>Sets what a dirty working tree does to the tag (<see cref="DirtyMode.Suffix"/> when unset).</summary>
    public static T SetDirty<T>(this T settings, DirtyMode? dirty)
        where T : ITagSettings => settings.Edit(tag => tag with { Dirty = dirty });

    /// <summary>Resets the dirty mode.</summary>
    public static T ResetDirty<T>(this T settings)
        where T : ITagSettings => settings.SetDirty(null);

    /// <summary>Sets the value of <c>{seq}</c> (a release finds it from the registry's tags by itself).</summary>
    public static TagSettings SetSequence(this TagSettings settings, long? sequence) => settings.Edit(tag => tag with { Sequence = sequence });

    /// <summary>Resets the value of <c>{seq}</c>.</summary>
    public static TagSettings ResetSequence(this TagSettings settings) => settings.SetSequence(null);

    private static T Edit<T>(this T settings, Func<TagRequest, TagRequest> edit)
        where T : ITagSettings => (T)settings.WithTagRequest(edit(settings.TagRequest));
}
