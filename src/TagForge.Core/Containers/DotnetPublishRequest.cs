using TagForge.Values;

namespace TagForge.Containers;

/// <summary>One <c>dotnet publish -t:PublishContainer</c>: the project and where the SDK pushes it.</summary>
public sealed record DotnetPublishRequest
{
    /// <summary>The project (a .csproj or its folder).</summary>
    public required string Project { get; init; }

    /// <summary>The registry host (<c>ContainerRegistry</c>).</summary>
    public required string Registry { get; init; }

    /// <summary>The repository path inside the registry (<c>ContainerRepository</c>).</summary>
    public required string Repository { get; init; }

    /// <summary>The tag (<c>ContainerImageTag</c>).</summary>
    public required string Tag { get; init; }

    /// <summary>Labels, added as <c>ContainerLabel</c> items through a generated targets file (items cannot be given with <c>-p</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary>Credentials, handed to the SDK through its environment variables, never argv.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>The registry speaks plain http: named in <c>DOTNET_CONTAINER_INSECURE_REGISTRIES</c>.</summary>
    public bool PlainHttp { get; init; }

    /// <summary>Further <c>dotnet publish</c> arguments (e.g. <c>-p:ContainerBaseImage=…</c>, <c>-c Release</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
