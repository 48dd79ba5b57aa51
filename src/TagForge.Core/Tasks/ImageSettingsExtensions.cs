using TagForge.Release;

namespace TagForge.Tasks;

/// <summary>Fluent setters build, push and release share: the repository, further tags, the config file, the docker CLI.</summary>
public static class ImageSettingsExtensions
{
    /// <summary>Sets the repository, without a tag: <c>registry.example.com/team/app</c> (else <c>TAGFORGE_IMAGE</c>, else tagforge.yml).</summary>
    public static T SetImage<T>(this T settings, string? image)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { Image = image });

    /// <summary>Resets the repository.</summary>
    public static T ResetImage<T>(this T settings)
        where T : ReleaseTaskSettings => settings.SetImage(null);

    /// <summary>Sets the config file (else <c>TAGFORGE_CONFIG</c>, else tagforge.yml found from the working directory).</summary>
    public static T SetConfig<T>(this T settings, string? path)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { ConfigPath = path });

    /// <summary>Resets the config file.</summary>
    public static T ResetConfig<T>(this T settings)
        where T : ReleaseTaskSettings => settings.SetConfig(null);

    /// <summary>Replaces the further tags (<c>latest</c>): pushed too, and not guarded (they are meant to move).</summary>
    public static T SetExtraTags<T>(this T settings, params IEnumerable<string> tags)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { AdditionalTags = [.. tags] });

    /// <summary>Adds further tags.</summary>
    public static T AddExtraTags<T>(this T settings, params IEnumerable<string> tags)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { AdditionalTags = [.. r.AdditionalTags, .. tags] });

    /// <summary>Removes further tags.</summary>
    public static T RemoveExtraTags<T>(this T settings, params IEnumerable<string> tags)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { AdditionalTags = [.. r.AdditionalTags.Except(tags, StringComparer.Ordinal)] });

    /// <summary>Clears the further tags.</summary>
    public static T ClearExtraTags<T>(this T settings)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { AdditionalTags = [] });

    /// <summary>Sets the docker CLI to run (else <c>TAGFORGE_DOCKER</c>, else <c>docker</c> on PATH).</summary>
    public static T SetDockerExecutable<T>(this T settings, string? executable)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { DockerExecutable = executable });

    /// <summary>Resets the docker CLI.</summary>
    public static T ResetDockerExecutable<T>(this T settings)
        where T : ReleaseTaskSettings => settings.SetDockerExecutable(null);

    /// <summary>Sets variables for docker's process (<c>DOCKER_BUILDKIT</c>, <c>DOCKER_HOST</c>, <c>DOCKER_CONFIG</c>); a null value removes one.</summary>
    public static T SetDockerEnvironment<T>(this T settings, IReadOnlyDictionary<string, string?>? environment)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { DockerEnvironment = environment });

    /// <summary>Resets docker's variables.</summary>
    public static T ResetDockerEnvironment<T>(this T settings)
        where T : ReleaseTaskSettings => settings.SetDockerEnvironment(null);

    /// <summary>A copy with <paramref name="edit"/> applied to the request, of the same settings type.</summary>
    internal static T Edit<T>(this T settings, Func<ReleaseRequest, ReleaseRequest> edit)
        where T : ReleaseTaskSettings => (T)settings.With(edit);
}
