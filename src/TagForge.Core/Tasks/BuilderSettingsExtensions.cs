using TagForge.Containers;

namespace TagForge.Tasks;

/// <summary>Which builder a release, build or push task drives (docs/builders.md): the task API's <c>--builder</c>, <c>--project</c>, <c>--storage-driver</c>, <c>--context</c>.</summary>
public static class BuilderSettingsExtensions
{
    /// <summary>Sets the builder: docker, podman, buildah or the .NET SDK (else <c>TAGFORGE_BUILDER</c>, else tagforge.yml, else detected).</summary>
    public static T SetBuilder<T>(this T settings, BuilderKind? builder)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { Builder = builder });

    /// <summary>Resets the builder to its default.</summary>
    public static T ResetBuilder<T>(this T settings)
        where T : ReleaseTaskSettings => settings.SetBuilder(null);

    /// <summary>Sets the project <see cref="BuilderKind.Dotnet"/> publishes with <c>-t:PublishContainer</c> (else <c>TAGFORGE_PROJECT</c>, else tagforge.yml).</summary>
    public static T SetProject<T>(this T settings, string? project)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { Project = project });

    /// <summary>Resets the project.</summary>
    public static T ResetProject<T>(this T settings)
        where T : ReleaseTaskSettings => settings.SetProject(null);

    /// <summary>Sets podman's and buildah's storage driver (<c>vfs</c> where overlay is unavailable; else <c>TAGFORGE_STORAGE_DRIVER</c>).</summary>
    public static T SetStorageDriver<T>(this T settings, string? driver)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { StorageDriver = driver });

    /// <summary>Resets the storage driver.</summary>
    public static T ResetStorageDriver<T>(this T settings)
        where T : ReleaseTaskSettings => settings.SetStorageDriver(null);

    /// <summary>Sets the docker context to build and push with (handed to docker as <c>DOCKER_CONTEXT</c>).</summary>
    public static T SetDockerContext<T>(this T settings, string? context)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { DockerContext = context });

    /// <summary>Resets the docker context.</summary>
    public static T ResetDockerContext<T>(this T settings)
        where T : ReleaseTaskSettings => settings.SetDockerContext(null);
}
