using TagForge.Containers;
using TagForge.Ecr;

namespace TagForge.Diagnostics;

/// <summary>What <see cref="Doctor.CheckAsync"/> looks at; the environment it reads comes from the services.</summary>
public sealed record DoctorRequest
{
    /// <summary>The directory to check from (git repository, tagforge.yml); the services' working directory when null.</summary>
    public string? Directory { get; init; }

    /// <summary>The repository whose registry to check; else the image of tagforge.yml / TAGFORGE_IMAGE; else the registry is not checked.</summary>
    public string? Image { get; init; }

    /// <summary>The docker CLI; <c>TAGFORGE_DOCKER</c>, else <c>docker</c>, when null.</summary>
    public string? DockerExecutable { get; init; }

    /// <summary>The builder to check; else <c>TAGFORGE_BUILDER</c> / <c>builder:</c> in tagforge.yml, else the one a release would detect.</summary>
    public BuilderKind? Builder { get; init; }

    /// <summary>podman's and buildah's storage driver; else <c>TAGFORGE_STORAGE_DRIVER</c>.</summary>
    public string? StorageDriver { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyCollection<string>? InsecureRegistries { get; init; }

    /// <summary>How ECR registries are recognised and reached; by their host name and the standard endpoints when null.</summary>
    public EcrSettings? Ecr { get; init; }
}
