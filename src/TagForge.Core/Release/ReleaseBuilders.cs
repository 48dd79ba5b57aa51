using TagForge.Containers;
using TagForge.Registry;
using TagForge.Services;

namespace TagForge.Release;

/// <summary>The builder a layered release request names, made with the services' output and logger.</summary>
internal static class ReleaseBuilders
{
    /// <summary>The local-storage builder (docker, podman, buildah) of <paramref name="layered"/>.</summary>
    public static IImageBuilder Create(ReleaseRequest layered, TagForgeServices services) => layered.Builder switch
    {
        BuilderKind.Podman or BuilderKind.Buildah => new OciToolBuilder(
            layered.Builder.Value, layered.BuilderExecutable, layered.StorageDriver, new ToolOptions { Output = services.ToolOutput }, services.Logger),
        _ => new DockerBuilder(services.Docker(layered.DockerExecutable, DockerEnvironment(layered))),
    };

    /// <summary>The builder in words when it is not docker on its default engine (a remote engine, a context, podman…); null for the default.</summary>
    public static string? Describe(ReleaseRequest layered, TagForgeServices services)
    {
        if (layered.Builder is not (null or BuilderKind.Docker))
        {
            return Builders.Name(layered.Builder.Value) + (layered.Builder is BuilderKind.Podman or BuilderKind.Buildah && layered.StorageDriver is { } driver ? $" ({driver} storage)" : "");
        }

        var environment = DockerEnvironment(layered);
        string? Read(string name) => environment is not null && environment.TryGetValue(name, out var value) ? value : services.Environment.Read(name);
        return DockerCli.EngineLocation(Read("DOCKER_CONTEXT"), Read("DOCKER_HOST")) is { } where ? $"docker on {where}" : null;
    }

    /// <summary>The .NET SDK's container publishing for <paramref name="layered"/>.</summary>
    public static DotnetPublisher Publisher(ReleaseRequest layered, TagForgeServices services) =>
        new(layered.BuilderExecutable, new ToolOptions { Output = services.ToolOutput }, services.Logger);

    /// <summary>The variables docker runs with: the request's, and <c>DOCKER_CONTEXT</c> for <c>--context</c>.</summary>
    public static IReadOnlyDictionary<string, string?>? DockerEnvironment(ReleaseRequest layered)
    {
        if (layered.DockerContext is not { } context)
        {
            return layered.DockerEnvironment;
        }

        var environment = new Dictionary<string, string?>(layered.DockerEnvironment ?? new Dictionary<string, string?>()) { ["DOCKER_CONTEXT"] = context };
        return environment;
    }

    /// <summary>Where a push of <paramref name="registry"/> goes: plain http for loopback and the request's insecure registries.</summary>
    public static PushTarget Target(ReleaseRequest layered, string registry, Values.RegistryCredential? credential) =>
        new(registry, credential, new RegistryClientOptions { InsecureRegistries = layered.Registry.InsecureRegistries }.IsInsecure(registry));
}
