using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Tagging;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// One release: tag, build, push and record one image. Unset values are <see langword="null"/> (or empty) and take
/// the defaults shown, so a command line, a config file and a build script can layer their values in one place.
/// </summary>
public sealed record ReleaseRequest
{
    /// <summary>The repository to release to, without a tag: <c>registry.example.com/team/app</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The build context; the current directory when unset.</summary>
    public string? ContextPath { get; init; }

    /// <summary>The Dockerfile; <c>CONTEXT/Dockerfile</c> when unset.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>How to make the tag (template, preset, git repository, build number, time, dirty mode).</summary>
    public TagRequest? Tag { get; init; }

    /// <summary>Use this tag as is instead of generating one (<c>tagforge push</c> of an image built earlier).</summary>
    public string? FixedTag { get; init; }

    /// <summary>More tags for the same image (<c>latest</c>, <c>main</c>): pushed too, and not guarded (they are meant to move).</summary>
    public IReadOnlyList<string> AdditionalTags { get; init; } = [];

    /// <summary><c>--build-arg</c> values (<c>NAME=VALUE</c>).</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary><c>--target</c>.</summary>
    public string? Target { get; init; }

    /// <summary><c>--platform</c>; recorded in the record.</summary>
    public string? Platform { get; init; }

    /// <summary>Further <c>docker build</c> arguments, passed through.</summary>
    public IReadOnlyList<string> ExtraBuildArguments { get; init; } = [];

    /// <summary>The <c>org.opencontainers.image.source</c> label; from the CI system (GitHub, GitLab) when unset.</summary>
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

    /// <summary>The build record to merge the entry into; none is written when unset.</summary>
    public string? RecordPath { get; init; }

    /// <summary>A dotenv file to write (<c>IMAGE_TAG</c>, <c>IMAGE_DIGEST</c>, <c>IMAGE_REF</c>).</summary>
    public string? DotenvPath { get; init; }

    /// <summary>The docker CLI; <c>TAGFORGE_DOCKER</c>, else <c>docker</c> on PATH.</summary>
    public string? DockerExecutable { get; init; }

    /// <summary>Variables for docker's process (<c>DOCKER_BUILDKIT</c>, <c>DOCKER_HOST</c>); a null value removes one.</summary>
    public IReadOnlyDictionary<string, string?>? DockerEnvironment { get; init; }

    /// <summary>Receives docker's output live, line by line; the logger when unset.</summary>
    public Action<string>? DockerOutput { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyCollection<string>? InsecureRegistries { get; init; }

    /// <summary>
    /// Explicit credentials for the image's registry (<c>--username</c> + <c>--password-stdin</c>). Used for the
    /// registry API and, through a throwaway docker config, for <c>docker push</c>.
    /// </summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// Another credential source (ECR), asked after explicit credentials and before Docker's config. Its credentials
    /// for the image's registry are also handed to <c>docker push</c> (through a throwaway docker config).
    /// </summary>
    public IRegistryCredentialSource? CredentialSource { get; init; }

    /// <summary>Timeouts and retries of the registry client.</summary>
    public RegistryClientOptions? RegistryOptions { get; init; }

    /// <summary>A registry client to use instead of building one from the options above.</summary>
    public IRegistryClient? Registry { get; init; }

    /// <summary>How many numbers <c>{seq}</c> tries when concurrent releases take them; 5.</summary>
    public int? MaxSequenceAttempts { get; init; }

    /// <summary>Where <c>TAGFORGE_*</c>, <c>DOCKER_CONFIG</c>, CI and GitHub variables come from; the process environment when unset.</summary>
    public IEnvironmentVariables? Environment { get; init; }

    /// <summary>The clock for the record's <c>createdAt</c>; the system clock when unset.</summary>
    public TimeProvider? Clock { get; init; }
}
