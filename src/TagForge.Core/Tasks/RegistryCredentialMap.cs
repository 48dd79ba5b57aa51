using TagForge.Errors;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>The per-registry credentials the settings' <c>AddRegistryCredential</c> setters build, keyed by the registry as references name it.</summary>
internal static class RegistryCredentialMap
{
    public static IReadOnlyDictionary<string, RegistryCredential> With(IReadOnlyDictionary<string, RegistryCredential>? existing, string registry, RegistryCredential credential)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var key = RegistryHost.Normalize(registry);
        if (key.Length == 0 || !credential.HasPassword)
        {
            throw new BadInputException($"AddRegistryCredential needs a registry host, a user name and a password (got registry '{registry}')");
        }

        var map = new Dictionary<string, RegistryCredential>(StringComparer.Ordinal);
        foreach (var (name, value) in existing ?? new Dictionary<string, RegistryCredential>())
        {
            if (RegistryHost.Normalize(name) != key)
            {
                map[name] = value;
            }
        }

        map[key] = credential;
        return map;
    }
}
