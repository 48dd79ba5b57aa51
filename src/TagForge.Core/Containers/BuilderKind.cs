namespace TagForge.Containers;

/// <summary>The builders TagForge drives.</summary>
public enum BuilderKind
{
    /// <summary>The Docker CLI and its engine (local or remote through <c>DOCKER_HOST</c> / a context).</summary>
    Docker,

    /// <summary>Podman, daemonless (<c>podman build</c> / <c>push</c>).</summary>
    Podman,

    /// <summary>Buildah, daemonless (<c>buildah bud</c> / <c>push</c>).</summary>
    Buildah,

    /// <summary>The .NET SDK's container publishing (<c>dotnet publish -t:PublishContainer</c>): builds and pushes in one step, no Dockerfile.</summary>
    Dotnet,

    /// <summary><c>docker buildx build --push</c>: the BuildKit builder pushes itself; nothing is loaded back.</summary>
    Buildx,
}
