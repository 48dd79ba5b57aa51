using TagForge.Containers;
using TagForge.Ecr;
using TagForge.Services;
using TagForge.Tagging;

namespace TagForge.Release;

/// <summary>
/// One release, as data: tag, build, push and record one image (<c>tagforge release</c>, and with
/// <see cref="SkipPush"/> or <see cref="SkipBuild"/> its halves <c>build</c> and <c>push</c>). Unset values are
/// <see langword="null"/> (or empty): <see cref="ReleaseConfiguration"/> fills them from <c>TAGFORGE_*</c>, then
/// <c>tagforge.yml</c>, then the defaults shown, the same way for the command line and a build script. Relative
/// paths are relative to the services' working directory.
/// </summary>
public sealed record ReleaseRequest
{
    /// <summary>The repository to release to, without a tag: <c>registry.example.com/team/app</c>; else <c>TAGFORGE_IMAGE</c>, else <c>image:</c> in tagforge.yml.</summary>
    public string? Image { get; init; }

    /// <summary>The config file; else <c>TAGFORGE_CONFIG</c>, else tagforge.yml found from the working directory up to the repository root.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The build context; else the config's, else the working directory.</summary>
    public string? ContextPath { get; init; }

    /// <summary>The Dockerfile; else the config's, else <c>CONTEXT/Dockerfile</c>.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>How to make the tag (template, preset, git repository, build number, time, dirty mode); the template and preset fall back to the config's.</summary>
    public TagRequest Tag { get; init; } = new();

    /// <summary>Use this tag as is instead of generating one (<c>tagforge push</c> of an image built earlier).</summary>
    public string? FixedTag { get; init; }

    /// <summary>More tags for the same image (<c>latest</c>, <c>main</c>): pushed too, and not guarded (they are meant to move).</summary>
    public IReadOnlyList<string> AdditionalTags { get; init; } = [];

    /// <summary><c>--build-arg</c> values (<c>NAME=VALUE</c>).</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary><c>--target</c>.</summary>
    public string? Target { get; init; }

    /// <summary><c>--platform</c>; else the config's; recorded in the record.</summary>
    public string? Platform { get; init; }

    /// <summary>Further <c>docker build</c> arguments, passed through.</summary>
    public IReadOnlyList<string> ExtraBuildArguments { get; init; } = [];

    /// <summary>The <c>org.opencontainers.image.source</c> label; from the CI system (GitHub, GitLab, Azure, Jenkins) when unset.</summary>
    public string? SourceUrl { get; init; }

    /// <summary>
    /// Leave out the OCI labels (revision, created, version, source). With the classic builder they cost one LABEL
    /// step (a container commit, ~0.1-0.2 s); with BuildKit they are free.
    /// </summary>
    public bool SkipLabels { get; init; }

    /// <summary>Do not build: push the local image <c>IMAGE:TAG</c> that exists already (needs <see cref="FixedTag"/>).</summary>
    public bool SkipBuild { get; init; }

    /// <summary>Build only: no registry, no push, no record.</summary>
    public bool SkipPush { get; init; }

    /// <summary>Push even when the registry holds the tag with another digest (the overwrite guard is off).</summary>
    public bool AllowOverwrite { get; init; }

    /// <summary>Remove the local tags after a successful push (the article's <c>docker rmi</c>).</summary>
    public bool RemoveLocal { get; init; }

    /// <summary>The build record to merge the entry into; else the config's, else <c>tagforge.json</c>.</summary>
    public string? RecordPath { get; init; }

    /// <summary>Write no build record.</summary>
    public bool NoRecord { get; init; }

    /// <summary>A dotenv file to write (<c>IMAGE_TAG</c>, <c>IMAGE_DIGEST</c>, <c>IMAGE_REF</c>).</summary>
    public string? DotenvPath { get; init; }

    /// <summary>The docker CLI; <c>TAGFORGE_DOCKER</c>, else <c>docker</c> on PATH.</summary>
    public string? DockerExecutable { get; init; }

    /// <summary>Variables for docker's process (<c>DOCKER_BUILDKIT</c>, <c>DOCKER_HOST</c>); a null value removes one.</summary>
    public IReadOnlyDictionary<string, string?>? DockerEnvironment { get; init; }

    /// <summary>The builder (<c>--builder</c>); else <c>TAGFORGE_BUILDER</c>, else <c>builder:</c> in tagforge.yml, else what is installed (docker first).</summary>
    public BuilderKind? Builder { get; init; }

    /// <summary>The project <c>--builder dotnet</c> publishes (<c>--project</c>); else <c>TAGFORGE_PROJECT</c>, else <c>project:</c> in tagforge.yml.</summary>
    public string? Project { get; init; }

    /// <summary>The executable of podman, buildah or dotnet (<c>TAGFORGE_BUILDER_EXECUTABLE</c>); its name on PATH when unset. docker's is <see cref="DockerExecutable"/>.</summary>
    public string? BuilderExecutable { get; init; }

    /// <summary>podman's and buildah's storage driver (<c>--storage-driver vfs</c>); else <c>TAGFORGE_STORAGE_DRIVER</c>, else the tool's own configuration.</summary>
    public string? StorageDriver { get; init; }

    /// <summary>The docker context (<c>--context</c>), handed to docker as <c>DOCKER_CONTEXT</c>; else docker's own (DOCKER_CONTEXT, DOCKER_HOST, its config).</summary>
    public string? DockerContext { get; init; }

    /// <summary>The time written as <c>org.opencontainers.image.created</c> and handed to the builder as <c>SOURCE_DATE_EPOCH</c>; else <c>SOURCE_DATE_EPOCH</c>, else the commit's time.</summary>
    public DateTimeOffset? CreatedTime { get; init; }

    /// <summary>
    /// How the registry is reached: explicit credentials (used for the registry API and, through a throwaway docker
    /// config, for <c>docker push</c>), plain-http registries, ECR settings, retries.
    /// </summary>
    public RegistryAccess Registry { get; init; } = new();

    /// <summary>ECR: create the repository when it is missing.</summary>
    public bool CreateRepository { get; init; }

    /// <summary>ECR: with <see cref="CreateRepository"/>, create it with IMMUTABLE tags.</summary>
    public bool ImmutableTags { get; init; }

    /// <summary>
    /// The image's content identity, as the planner computed it: the image is labelled
    /// <c>dev.tagforge.content=IDENTITY</c>, and a tag that holds an image with this label is a rerun of this build
    /// (nothing pushed, its digest recorded). Null: not known, so no rerun is recognised.
    /// </summary>
    public string? ContentIdentity { get; init; }

    /// <summary>
    /// Build from the registry's bases afresh (docker <c>--pull</c>): set by the plan when it resolved every registry
    /// base of the Dockerfile into the identity, so what is built is what the identity covers, not a stale local copy.
    /// </summary>
    internal bool PullBases { get; init; }

    /// <summary>How many numbers <c>{seq}</c> tries when concurrent releases take them; 5.</summary>
    public int? MaxSequenceAttempts { get; init; }

    /// <summary>How the caller names its options in messages (the command line's flags, or a build script's setters).</summary>
    public ReleaseOptionNames OptionNames { get; init; } = ReleaseOptionNames.CommandLine;

    /// <summary>The ECR settings, for short.</summary>
    internal EcrSettings Ecr => Registry.Ecr;
}
