using TagForge.Release;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Tags and builds an image locally (<c>tagforge build</c>); nothing is pushed or recorded.</summary>
    /// <returns>The tag and the local image id (<see cref="ReleaseResult.Digest"/> and <see cref="ReleaseResult.Reference"/> are null).</returns>
    /// <exception cref="Errors.BadInputException">Bad settings, template, config or Dockerfile.</exception>
    /// <exception cref="Errors.ExternalFailureException">docker or the engine failed.</exception>
    public static ReleaseResult Build(BuildSettings settings) => Wait(BuildAsync(settings));

    /// <inheritdoc cref="Build(BuildSettings)"/>
    public static ReleaseResult Build(Configure<BuildSettings> configure) => Build(Apply(configure));

    /// <inheritdoc cref="Build(BuildSettings)"/>
    public static Task<ReleaseResult> BuildAsync(BuildSettings settings, CancellationToken cancellationToken = default) =>
        RunReleaseAsync(settings, request => request with { SkipPush = true }, cancellationToken);

    /// <inheritdoc cref="Build(BuildSettings)"/>
    public static Task<ReleaseResult> BuildAsync(Configure<BuildSettings> configure, CancellationToken cancellationToken = default) =>
        BuildAsync(Apply(configure), cancellationToken);

    /// <summary>Pushes the local image <c>IMAGE:TAG</c> (<c>tagforge push</c>), guarded against overwriting, confirmed and recorded.</summary>
    /// <returns>The tag, the digest the registry confirmed, <c>repository@digest</c> and the record entry.</returns>
    /// <exception cref="Errors.BadInputException">Bad settings; no local image; a corrupt record.</exception>
    /// <exception cref="Errors.ExternalFailureException">docker or the registry failed.</exception>
    /// <exception cref="Errors.PolicyRefusalException">The tag holds another digest in the registry.</exception>
    public static ReleaseResult Push(PushSettings settings) => Wait(PushAsync(settings));

    /// <inheritdoc cref="Push(PushSettings)"/>
    public static ReleaseResult Push(Configure<PushSettings> configure) => Push(Apply(configure));

    /// <inheritdoc cref="Push(PushSettings)"/>
    public static Task<ReleaseResult> PushAsync(PushSettings settings, CancellationToken cancellationToken = default) =>
        RunReleaseAsync(settings, request => request with { SkipBuild = true }, cancellationToken);

    /// <inheritdoc cref="Push(PushSettings)"/>
    public static Task<ReleaseResult> PushAsync(Configure<PushSettings> configure, CancellationToken cancellationToken = default) =>
        PushAsync(Apply(configure), cancellationToken);

    /// <summary>
    /// Tags, builds, pushes (never overwriting a tag by accident), confirms the digest with the registry and records it
    /// (<c>tagforge release</c>), with <c>TAGFORGE_*</c> and <c>tagforge.yml</c> filling what the settings leave unset.
    /// </summary>
    /// <returns>The tag, the digest, <c>repository@digest</c> and the record entry.</returns>
    /// <exception cref="Errors.BadInputException">Bad settings, template, config or Dockerfile; a corrupt record.</exception>
    /// <exception cref="Errors.ExternalFailureException">docker, the engine or the registry failed.</exception>
    /// <exception cref="Errors.PolicyRefusalException">The tag holds another digest in the registry, or the tree is dirty with <see cref="Tagging.DirtyMode.Fail"/>.</exception>
    public static ReleaseResult Release(ReleaseSettings settings) => Wait(ReleaseAsync(settings));

    /// <inheritdoc cref="Release(ReleaseSettings)"/>
    public static ReleaseResult Release(Configure<ReleaseSettings> configure) => Release(Apply(configure));

    /// <inheritdoc cref="Release(ReleaseSettings)"/>
    public static async Task<ReleaseResult> ReleaseAsync(ReleaseSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        // The engine: several platforms (SetPlatform("a,b"), TAGFORGE_PLATFORM, platform:) make an index, as on the command line.
        return await Engine.ReleaseEngine.ReleaseOneAsync(settings.Request, services, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="Release(ReleaseSettings)"/>
    public static Task<ReleaseResult> ReleaseAsync(Configure<ReleaseSettings> configure, CancellationToken cancellationToken = default) =>
        ReleaseAsync(Apply(configure), cancellationToken);

    private static async Task<ReleaseResult> RunReleaseAsync(ReleaseTaskSettings settings, Func<ReleaseRequest, ReleaseRequest> mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return await ReleaseRunner.RunAsync(mode(settings.Request), services, cancellationToken).ConfigureAwait(false);
    }
}
