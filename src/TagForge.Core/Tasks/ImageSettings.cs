using TagForge.Tagging;

namespace TagForge.Tasks;

/// <summary>What build, push and release share: the repository, further tags, and the docker CLI.</summary>
public abstract record ImageSettings : TagForgeSettings
{
    /// <summary>The repository, without a tag: <c>registry.example.com/team/app</c>.</summary>
    public string? Image { get; init; }

    /// <summary>More tags for the same image (<c>latest</c>): pushed too, and not guarded (they are meant to move).</summary>
    public IReadOnlyList<string> ExtraTags { get; init; } = [];

    /// <summary>The docker CLI to run; <c>TAGFORGE_DOCKER</c>, else <c>docker</c> on PATH, when unset.</summary>
    public string? DockerExecutable { get; init; }

    /// <summary>Variables for docker's process (<c>DOCKER_BUILDKIT</c>, <c>DOCKER_HOST</c>, <c>DOCKER_CONFIG</c>); a null value removes one.</summary>
    public IReadOnlyDictionary<string, string?>? DockerEnvironment { get; init; }

    /// <summary>The image, or a <see cref="Errors.BadInputException"/> saying how to set it.</summary>
    internal string RequiredImage => Image ?? throw new Errors.BadInputException("no image: call SetImage(\"registry.example.com/team/app\")");
}

/// <summary>What build and release share: the source, the tag, and the docker build.</summary>
public abstract record SourceSettings : ImageSettings
{
    /// <summary>The build context; the working directory when unset.</summary>
    public string? Context { get; init; }

    /// <summary>The Dockerfile; <c>CONTEXT/Dockerfile</c> when unset.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>The tag template, e.g. <c>v.{sha:8}_{time:yyyyMMddHHmm}-{build}</c>.</summary>
    public string? Template { get; init; }

    /// <summary>A named template from <see cref="TagPresets"/>.</summary>
    public string? Preset { get; init; }

    /// <summary>Overrides the CI system's build number for <c>{build}</c>.</summary>
    public string? BuildNumber { get; init; }

    /// <summary>The build time for <c>{time}</c>; else <c>SOURCE_DATE_EPOCH</c>, else now.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>What a dirty working tree does to the tag; <see cref="DirtyMode.Suffix"/> when unset.</summary>
    public DirtyMode? Dirty { get; init; }

    /// <summary><c>--build-arg</c> values, <c>NAME=VALUE</c>.</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary>The build stage to build (<c>--target</c>).</summary>
    public string? Target { get; init; }

    /// <summary>The platform to build for (<c>linux/amd64</c>); recorded.</summary>
    public string? Platform { get; init; }

    /// <summary>Leave out the OCI labels (revision, created, version, source).</summary>
    public bool NoLabels { get; init; }

    /// <summary>The tag request these settings describe.</summary>
    internal TagRequest ToTagRequest() => new()
    {
        Template = Template,
        Preset = Preset,
        RepositoryPath = EffectiveWorkingDirectory,
        BuildNumber = BuildNumber,
        Time = Time,
        Dirty = Dirty,
        Environment = EffectiveEnvironment,
    };
}

/// <summary>Fluent setters of <see cref="ImageSettings"/>; each returns a changed copy of the same type.</summary>
public static class ImageSettingsExtensions
{
    /// <summary>Sets <see cref="ImageSettings.Image"/>.</summary>
    public static T SetImage<T>(this T settings, string? image)
        where T : ImageSettings => (T)(settings.Base() with { Image = image });

    /// <summary>Resets <see cref="ImageSettings.Image"/>.</summary>
    public static T ResetImage<T>(this T settings)
        where T : ImageSettings => (T)(settings.Base() with { Image = null });

    /// <summary>Replaces <see cref="ImageSettings.ExtraTags"/>.</summary>
    public static T SetExtraTags<T>(this T settings, params IEnumerable<string> tags)
        where T : ImageSettings => (T)(settings.Base() with { ExtraTags = [.. tags] });

    /// <summary>Adds to <see cref="ImageSettings.ExtraTags"/>.</summary>
    public static T AddExtraTags<T>(this T settings, params IEnumerable<string> tags)
        where T : ImageSettings => (T)(settings.Base() with { ExtraTags = [.. settings.ExtraTags, .. tags] });

    /// <summary>Removes from <see cref="ImageSettings.ExtraTags"/>.</summary>
    public static T RemoveExtraTags<T>(this T settings, params IEnumerable<string> tags)
        where T : ImageSettings => (T)(settings.Base() with { ExtraTags = [.. settings.ExtraTags.Except(tags, StringComparer.Ordinal)] });

    /// <summary>Clears <see cref="ImageSettings.ExtraTags"/>.</summary>
    public static T ClearExtraTags<T>(this T settings)
        where T : ImageSettings => (T)(settings.Base() with { ExtraTags = [] });

    /// <summary>Sets <see cref="ImageSettings.DockerExecutable"/>.</summary>
    public static T SetDockerExecutable<T>(this T settings, string? executable)
        where T : ImageSettings => (T)(settings.Base() with { DockerExecutable = executable });

    /// <summary>Resets <see cref="ImageSettings.DockerExecutable"/>.</summary>
    public static T ResetDockerExecutable<T>(this T settings)
        where T : ImageSettings => (T)(settings.Base() with { DockerExecutable = null });

    /// <summary>Sets <see cref="ImageSettings.DockerEnvironment"/>.</summary>
    public static T SetDockerEnvironment<T>(this T settings, IReadOnlyDictionary<string, string?>? environment)
        where T : ImageSettings => (T)(settings.Base() with { DockerEnvironment = environment });

    /// <summary>Resets <see cref="ImageSettings.DockerEnvironment"/>.</summary>
    public static T ResetDockerEnvironment<T>(this T settings)
        where T : ImageSettings => (T)(settings.Base() with { DockerEnvironment = null });

    private static ImageSettings Base(this ImageSettings settings) => settings;
}

/// <summary>Fluent setters of <see cref="SourceSettings"/>; each returns a changed copy of the same type.</summary>
public static class SourceSettingsExtensions
{
    /// <summary>Sets <see cref="SourceSettings.Context"/>.</summary>
    public static T SetContext<T>(this T settings, string? context)
        where T : SourceSettings => (T)(settings.Base() with { Context = context });

    /// <summary>Resets <see cref="SourceSettings.Context"/>.</summary>
    public static T ResetContext<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { Context = null });

    /// <summary>Sets <see cref="SourceSettings.Dockerfile"/>.</summary>
    public static T SetDockerfile<T>(this T settings, string? dockerfile)
        where T : SourceSettings => (T)(settings.Base() with { Dockerfile = dockerfile });

    /// <summary>Resets <see cref="SourceSettings.Dockerfile"/>.</summary>
    public static T ResetDockerfile<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { Dockerfile = null });

    /// <summary>Sets <see cref="SourceSettings.Template"/>.</summary>
    public static T SetTemplate<T>(this T settings, string? template)
        where T : SourceSettings => (T)(settings.Base() with { Template = template });

    /// <summary>Resets <see cref="SourceSettings.Template"/>.</summary>
    public static T ResetTemplate<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { Template = null });

    /// <summary>Sets <see cref="SourceSettings.Preset"/>.</summary>
    public static T SetPreset<T>(this T settings, string? preset)
        where T : SourceSettings => (T)(settings.Base() with { Preset = preset });

    /// <summary>Resets <see cref="SourceSettings.Preset"/>.</summary>
    public static T ResetPreset<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { Preset = null });

    /// <summary>Sets <see cref="SourceSettings.BuildNumber"/>.</summary>
    public static T SetBuildNumber<T>(this T settings, string? buildNumber)
        where T : SourceSettings => (T)(settings.Base() with { BuildNumber = buildNumber });

    /// <summary>Resets <see cref="SourceSettings.BuildNumber"/>.</summary>
    public static T ResetBuildNumber<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { BuildNumber = null });

    /// <summary>Sets <see cref="SourceSettings.Time"/>.</summary>
    public static T SetTime<T>(this T settings, DateTimeOffset? time)
        where T : SourceSettings => (T)(settings.Base() with { Time = time });

    /// <summary>Resets <see cref="SourceSettings.Time"/>.</summary>
    public static T ResetTime<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { Time = null });

    /// <summary>Sets <see cref="SourceSettings.Dirty"/>.</summary>
    public static T SetDirty<T>(this T settings, DirtyMode? dirty)
        where T : SourceSettings => (T)(settings.Base() with { Dirty = dirty });

    /// <summary>Resets <see cref="SourceSettings.Dirty"/>.</summary>
    public static T ResetDirty<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { Dirty = null });

    /// <summary>Replaces <see cref="SourceSettings.BuildArgs"/> (<c>NAME=VALUE</c> each).</summary>
    public static T SetBuildArgs<T>(this T settings, params IEnumerable<string> buildArgs)
        where T : SourceSettings => (T)(settings.Base() with { BuildArgs = [.. buildArgs] });

    /// <summary>Adds to <see cref="SourceSettings.BuildArgs"/> (<c>NAME=VALUE</c> each).</summary>
    public static T AddBuildArgs<T>(this T settings, params IEnumerable<string> buildArgs)
        where T : SourceSettings => (T)(settings.Base() with { BuildArgs = [.. settings.BuildArgs, .. buildArgs] });

    /// <summary>Adds one build argument.</summary>
    public static T AddBuildArg<T>(this T settings, string name, string value)
        where T : SourceSettings => settings.AddBuildArgs($"{name}={value}");

    /// <summary>Removes from <see cref="SourceSettings.BuildArgs"/>.</summary>
    public static T RemoveBuildArgs<T>(this T settings, params IEnumerable<string> buildArgs)
        where T : SourceSettings => (T)(settings.Base() with { BuildArgs = [.. settings.BuildArgs.Except(buildArgs, StringComparer.Ordinal)] });

    /// <summary>Clears <see cref="SourceSettings.BuildArgs"/>.</summary>
    public static T ClearBuildArgs<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { BuildArgs = [] });

    /// <summary>Sets <see cref="SourceSettings.Target"/>.</summary>
    public static T SetTarget<T>(this T settings, string? target)
        where T : SourceSettings => (T)(settings.Base() with { Target = target });

    /// <summary>Resets <see cref="SourceSettings.Target"/>.</summary>
    public static T ResetTarget<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { Target = null });

    /// <summary>Sets <see cref="SourceSettings.Platform"/>.</summary>
    public static T SetPlatform<T>(this T settings, string? platform)
        where T : SourceSettings => (T)(settings.Base() with { Platform = platform });

    /// <summary>Resets <see cref="SourceSettings.Platform"/>.</summary>
    public static T ResetPlatform<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { Platform = null });

    /// <summary>Leaves out the OCI labels.</summary>
    public static T EnableNoLabels<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { NoLabels = true });

    /// <summary>Adds the OCI labels (the default).</summary>
    public static T DisableNoLabels<T>(this T settings)
        where T : SourceSettings => (T)(settings.Base() with { NoLabels = false });

    private static SourceSettings Base(this SourceSettings settings) => settings;
}
