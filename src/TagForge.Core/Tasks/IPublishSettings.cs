using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>
/// What <see cref="PushSettings"/> and <see cref="ReleaseSettings"/> share (they derive from different settings
/// records, so the properties are declared on each and read through this interface).
/// </summary>
internal interface IPublishSettings
{
    string? Record { get; }

    bool NoRecord { get; }

    bool AllowOverwrite { get; }

    bool RemoveLocal { get; }

    string? Dotenv { get; }

    RegistryCredential? Credential { get; }

    IReadOnlyList<string> InsecureRegistries { get; }

    bool Ecr { get; }

    string? EcrRegion { get; }

    bool CreateRepository { get; }
}
