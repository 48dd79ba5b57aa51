namespace TagForge.Tasks;

/// <summary>Fluent setters of what is built (build, release); the tag's setters are <see cref="TagSettingsExtensions"/>.</summary>
public static class SourceSettingsExtensions
{
    /// <summary>Sets the build context (else tagforge.yml's, else the working directory).</summary>
    public static T SetContext<T>(this T settings, string? context)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { ContextPath = context });

    /// <summary>Resets the build context.</summary>
    public static T ResetContext<T>(this T settings)
        where T : ReleaseTaskSettings, ISourceSettings => settings.SetContext(null);

    /// <summary>Sets the Dockerfile (else <c>CONTEXT/Dockerfile</c>).</summary>
    public static T SetDockerfile<T>(this T settings, string? dockerfile)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { Dockerfile = dockerfile });

    /// <summary>Resets the Dockerfile.</summary>
    public static T ResetDockerfile<T>(this T settings)
        where T : ReleaseTaskSettings, ISourceSettings => settings.SetDockerfile(null);

    /// <summary>Replaces the build arguments (<c>NAME=VALUE</c> each).</summary>
    public static T SetBuildArgs<T>(this T settings, params IEnumerable<string> buildArgs)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { BuildArgs = [.. buildArgs] });

    /// <summary>Adds build arguments (<c>NAME=VALUE</c> each).</summary>
    public static T AddBuildArgs<T>(this T settings, params IEnumerable<string> buildArgs)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { BuildArgs = [.. r.BuildArgs, .. buildArgs] });

    /// <summary>Adds one build argument.</summary>
    public static T AddBuildArg<T>(this T settings, string name, string value)
        where T : ReleaseTaskSettings, ISourceSettings => settings.AddBuildArgs($"{name}={value}");

    /// <summary>Removes build arguments.</summary>
    public static T RemoveBuildArgs<T>(this T settings, params IEnumerable<string> buildArgs)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { BuildArgs = [.. r.BuildArgs.Except(buildArgs, StringComparer.Ordinal)] });

    /// <summary>Clears the build arguments.</summary>
    public static T ClearBuildArgs<T>(this T settings)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { BuildArgs = [] });

    /// <summary>Sets the build stage to build (<c>--target</c>).</summary>
    public static T SetTarget<T>(this T settings, string? target)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { Target = target });

    /// <summary>Resets the build stage.</summary>
    public static T ResetTarget<T>(this T settings)
        where T : ReleaseTaskSettings, ISourceSettings => settings.SetTarget(null);

    /// <summary>Sets the platform to build for (<c>linux/amd64</c>); recorded.</summary>
    public static T SetPlatform<T>(this T settings, string? platform)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { Platform = platform });

    /// <summary>Resets the platform (tagforge.yml's, else docker's default).</summary>
    public static T ResetPlatform<T>(this T settings)
        where T : ReleaseTaskSettings, ISourceSettings => settings.SetPlatform(null);

    /// <summary>Leaves out the OCI labels.</summary>
    public static T EnableNoLabels<T>(this T settings)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { SkipLabels = true });

    /// <summary>Adds the OCI labels (the default).</summary>
    public static T DisableNoLabels<T>(this T settings)
        where T : ReleaseTaskSettings, ISourceSettings => settings.Edit(r => r with { SkipLabels = false });
}
