using TagForge.Ecr;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>What <see cref="LoginOperation"/> checks and stores (<c>tagforge login</c>).</summary>
public sealed record LoginRequest
{
    /// <summary>The registry (<c>host[:port]</c>; a scheme or path, as docker accepts, is dropped).</summary>
    public required string Registry { get; init; }

    /// <summary>The user and password; null only for an ECR registry, whose login comes from the AWS credentials.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>The auth file to write (<c>--authfile</c>); else <c>REGISTRY_AUTH_FILE</c>, else docker's config.json.</summary>
    public string? AuthFile { get; init; }

    /// <summary>Registries that may be spoken to over plain http or unverified TLS, besides loopback's plain http.</summary>
    public IReadOnlyCollection<string>? InsecureRegistries { get; init; }

    /// <summary>How ECR registries are recognised and reached.</summary>
    public EcrSettings? Ecr { get; init; }
}
