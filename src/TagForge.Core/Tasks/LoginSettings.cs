using TagForge.Operations;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>
/// Settings of <see cref="TagForgeTasks.Login(LoginSettings)"/>: check a credential against a registry and store it in
/// the auth file docker, podman, buildah and TagForge read. A script that only needs the credential for its own
/// calls passes it with <c>AddRegistryCredential</c> instead, and nothing is written.
/// </summary>
public sealed record LoginSettings : TagForgeSettings
{
    /// <summary>The registry (<c>host[:port]</c>).</summary>
    public string? Registry { get; init; }

    /// <summary>The user and password; null only for Amazon ECR (the AWS credentials log in). Never logged.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>The auth file; else <c>REGISTRY_AUTH_FILE</c>, else docker's config.json.</summary>
    public string? AuthFile { get; init; }

    /// <summary>Registries that may be spoken to over plain http or unverified TLS.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    internal LoginRequest ToRequest() => new()
    {
        Registry = Registry ?? throw new Errors.BadInputException("no registry: call SetRegistry(\"registry.example.com\")"),
        Credential = Credential,
        AuthFile = Resolve(AuthFile),
        InsecureRegistries = InsecureRegistries,
    };
}

/// <summary>Fluent setters of <see cref="LoginSettings"/>; each returns a changed copy.</summary>
public static class LoginSettingsExtensions
{
    /// <summary>Sets <see cref="LoginSettings.Registry"/>.</summary>
    public static LoginSettings SetRegistry(this LoginSettings settings, string? registry) => settings with { Registry = registry };

    /// <summary>Sets the user and password (never logged).</summary>
    public static LoginSettings SetCredential(this LoginSettings settings, string username, string password) => settings with { Credential = new RegistryCredential(username, password) };

    /// <summary>Sets <see cref="LoginSettings.AuthFile"/>.</summary>
    public static LoginSettings SetAuthFile(this LoginSettings settings, string? path) => settings with { AuthFile = path };

    /// <summary>Adds registries that may be spoken to over plain http or unverified TLS.</summary>
    public static LoginSettings AddInsecureRegistries(this LoginSettings settings, params IEnumerable<string> registries) =>
        settings with { InsecureRegistries = [.. settings.InsecureRegistries, .. registries] };
}
