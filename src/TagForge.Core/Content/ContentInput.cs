namespace TagForge.Content;

/// <summary>What goes into one image's content identity (see <see cref="ContentHasher"/>).</summary>
public sealed record ContentInput
{
    /// <summary>The build context (absolute). Required.</summary>
    public required string ContextPath { get; init; }

    /// <summary>The Dockerfile (absolute); else <c>CONTEXT/Dockerfile</c>.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>Every build argument (<c>NAME=VALUE</c>) from every source (tagforge.yml, flags, environment), as passed to the builder (after <c>{image:NAME}</c> is replaced), in order.</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary>The raw arguments given to the builder after <c>--</c>, in order.</summary>
    public IReadOnlyList<string> ExtraBuildArguments { get; init; } = [];

    /// <summary>The build stage.</summary>
    public string? Target { get; init; }

    /// <summary>The platform the image is built for, always resolved (the engine fills in the builder's default when none was asked for).</summary>
    public string? Platform { get; init; }

    /// <summary>Each base image's digest, by name: images built in this release by their identity, images from registries by the digest they resolved to.</summary>
    public IReadOnlyDictionary<string, string> BaseDigests { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Files TagForge itself writes after the build (the record, its lock, the dotenv file), left out of the identity
    /// when they lie in the context: otherwise the record a release writes would change the identity of its own rerun.
    /// Absolute paths. (Add them to <c>.dockerignore</c> as well, so the builder is not sent them.)
    /// </summary>
    public IReadOnlyCollection<string> OwnOutputs { get; init; } = [];

    /// <summary>Whose rules select the context's files (they differ: docs/monorepo.md).</summary>
    public ContextRules Rules { get; init; } = ContextRules.BuildKit;

    /// <summary>The same as <see cref="Rules"/> (the name the release engine was promised: which builder's ignore rules apply).</summary>
    public ContextRules DockerfileIgnore
    {
        get => Rules;
        init => Rules = value;
    }
}
