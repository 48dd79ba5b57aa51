namespace TagForge.Tasks;

/// <summary>Settings of <see cref="TagForgeTasks.Push(PushSettings)"/>: push a local image built earlier, guarded and recorded.</summary>
public sealed record PushSettings : ReleaseTaskSettings, IPublishSettings;

/// <summary>Fluent setters of <see cref="PushSettings"/>; each returns a changed copy.</summary>
public static class PushSettingsExtensions
{
    /// <summary>Sets the tag of the local image <c>IMAGE:TAG</c> to push (required).</summary>
    public static PushSettings SetTag(this PushSettings settings, string? tag) => settings with { Request = settings.Request with { FixedTag = tag } };

    /// <summary>Resets the tag to push.</summary>
    public static PushSettings ResetTag(this PushSettings settings) => settings.SetTag(null);
}
