using TagForge.Ecr;
using TagForge.Values;

namespace TagForge.Services;

/// <summary>How an operation reaches registries: data only, layered by the caller; the chain itself is <see cref="RegistryClientFactory"/>'s.</summary>
public sealed record RegistryAccess
{
    /// <summary>Credentials given explicitly (<c>--username</c> + <c>--password-stdin</c>, a build script's <c>SetCredential</c>). Never logged.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// The registry <see cref="Credential"/> is for, and <c>TAGFORGE_REGISTRY_USERNAME</c>/<c>_PASSWORD</c> too unless
    /// <c>TAGFORGE_REGISTRY_HOST</c> names another: a release's own registry. Any registry when null and unnamed.
    /// </summary>
    public string? CredentialRegistry { get; init; }

    /// <summary>
    /// Credentials per registry (<c>host[:port]</c> → credential), after <see cref="Credential"/> and before the
    /// environment, ECR and docker's config: what a build script hands over instead of writing a docker config
    /// (<c>AddRegistryCredential</c>). Never logged.
    /// </summary>
    public IReadOnlyDictionary<string, RegistryCredential>? RegistryCredentials { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyCollection<string>? InsecureRegistries { get; init; }

    /// <summary>How ECR registries are recognised and reached.</summary>
    public EcrSettings Ecr { get; init; } = new();

    /// <summary>Retries after the first attempt; the client's default (3) when null.</summary>
    public int? MaxRetryAttempts { get; init; }

    /// <summary>The time one attempt may take; the client's default (30 s) when null.</summary>
    public TimeSpan? AttemptTimeout { get; init; }
}
