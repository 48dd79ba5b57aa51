using TagForge.Ecr;
using TagForge.Release;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Tags and builds an image locally (<c>tagforge build</c>); nothing is pushed or recorded.</summary>
    /// <returns>The tag and the local image id (<see cref="ReleaseResult.Digest"/> and <see cref="ReleaseResult.Reference"/> are null).</returns>
    /// <exception cref="Errors.BadInputException">Bad settings, template or Dockerfile.</exception>
    /// <exception cref="Errors.ExternalFailureException">docker or the engine failed.</exception>
    public static ReleaseResult Build(BuildSettings settings) => Wait(BuildAsync(settings));

    /// <inheritdoc cref="Build(BuildSettings)"/>
    public static ReleaseResult Build(Configure<BuildSettings> configure) => Build(Apply(configure));

    /// <inheritdoc cref="Build(BuildSettings)"/>
    public static Task<ReleaseResult> BuildAsync(BuildSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ReleasePipeline.RunAsync(FromSource(settings) with { SkipPush = true }, settings.EffectiveLogger, cancellationToken);
    }

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
    public static Task<ReleaseResult> PushAsync(PushSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var request = Common(settings) with
        {
            FixedTag = settings.Tag ?? throw new Errors.BadInputException("push needs the tag of the local image: call SetTag(...)"),
            SkipBuild = true,
            Tag = new Tagging.TagRequest { RepositoryPath = settings.EffectiveWorkingDirectory, Environment = settings.EffectiveEnvironment },
        };
        return PublishAsync(request, settings, cancellationToken);
    }

    /// <inheritdoc cref="Push(PushSettings)"/>
    public static Task<ReleaseResult> PushAsync(Configure<PushSettings> configure, CancellationToken cancellationToken = default) =>
        PushAsync(Apply(configure), cancellationToken);

    /// <summary>
    /// Tags, builds, pushes (never overwriting a tag by accident), confirms the digest with the registry and records it
    /// (<c>tagforge release</c>).
    /// </summary>
    /// <returns>The tag, the digest, <c>repository@digest</c> and the record entry.</returns>
    /// <exception cref="Errors.BadInputException">Bad settings, template or Dockerfile; a corrupt record.</exception>
    /// <exception cref="Errors.ExternalFailureException">docker, the engine or the registry failed.</exception>
    /// <exception cref="Errors.PolicyRefusalException">The tag holds another digest in the registry, or the tree is dirty with <see cref="Tagging.DirtyMode.Fail"/>.</exception>
    public static ReleaseResult Release(ReleaseSettings settings) => Wait(ReleaseAsync(settings));

    /// <inheritdoc cref="Release(ReleaseSettings)"/>
    public static ReleaseResult Release(Configure<ReleaseSettings> configure) => Release(Apply(configure));

    /// <inheritdoc cref="Release(ReleaseSettings)"/>
    public static Task<ReleaseResult> ReleaseAsync(ReleaseSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return PublishAsync(FromSource(settings), settings, cancellationToken);
    }

    /// <inheritdoc cref="Release(ReleaseSettings)"/>
    public static Task<ReleaseResult> ReleaseAsync(Configure<ReleaseSettings> configure, CancellationToken cancellationToken = default) =>
        ReleaseAsync(Apply(configure), cancellationToken);

    /// <summary>
    /// Adds what push and release share (record, overwrite guard, dotenv, credentials) to <paramref name="request"/>
    /// and runs it through <see cref="ReleaseRunner"/>, with ECR support when the image is on ECR.
    /// </summary>
    private static Task<ReleaseResult> PublishAsync<T>(ReleaseRequest request, T settings, CancellationToken cancellationToken)
        where T : ImageSettings, IPublishSettings
    {
        var publish = request with
        {
            RecordPath = settings.NoRecord ? null : settings.Resolve(settings.Record ?? Records.BuildRecordFile.DefaultPath),
            AllowOverwrite = settings.AllowOverwrite,
            RemoveLocal = settings.RemoveLocal,
            DotenvPath = settings.Resolve(settings.Dotenv),
            Credential = settings.Credential,
            InsecureRegistries = settings.InsecureRegistries,
        };
        var ecr = new EcrReleaseOptions(new EcrSettings(settings.Ecr, settings.EcrRegion), settings.CreateRepository)
        {
            CreateRepositoryName = "EnableCreateRepository",
            ForceName = "EnableEcr",
        };
        return ReleaseRunner.RunAsync(publish, ecr, settings.EffectiveLogger, cancellationToken);
    }

    private static ReleaseRequest Common(ImageSettings settings) => new()
    {
        Image = settings.RequiredImage,
        AdditionalTags = settings.ExtraTags,
        DockerExecutable = settings.DockerExecutable,
        DockerEnvironment = settings.DockerEnvironment,
        Environment = settings.EffectiveEnvironment,
    };

    private static ReleaseRequest FromSource(SourceSettings settings) => Common(settings) with
    {
        ContextPath = settings.Resolve(settings.Context) ?? settings.EffectiveWorkingDirectory,
        Dockerfile = settings.Resolve(settings.Dockerfile),
        Tag = settings.ToTagRequest(),
        BuildArgs = settings.BuildArgs,
        Target = settings.Target,
        Platform = settings.Platform,
        SkipLabels = settings.NoLabels,
    };
}
