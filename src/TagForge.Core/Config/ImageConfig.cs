namespace TagForge.Config;

/// <summary>
/// One entry of <c>images:</c> in tagforge.yml: an image of a repository of several (a monorepo), released by
/// <c>tagforge release --all</c> / <c>--only NAME</c>. Paths are absolute once loaded from a file.
/// </summary>
public sealed record ImageConfig
{
    /// <summary>The entry's name: <c>--only NAME</c>, <c>depends-on</c> and <c>{image:NAME}</c> refer to it. Required.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The repository to push to (<c>image:</c> of the entry); else the top-level <c>image:</c> joined with the name
    /// (<c>registry/team</c> + <c>api</c> = <c>registry/team/api</c>); else the name itself.
    /// </summary>
    public string? Image { get; init; }

    /// <summary>The build context directory; else the config file's directory.</summary>
    public string? Context { get; init; }

    /// <summary>The Dockerfile; else <c>CONTEXT/Dockerfile</c>.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>The build stage (<c>--target</c>).</summary>
    public string? Target { get; init; }

    /// <summary>Build arguments as <c>NAME=VALUE</c>; a value may hold <c>{image:OTHER}</c>.</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary>The platforms to build (<c>linux/amd64</c>); none = the engine's own.</summary>
    public IReadOnlyList<string> Platforms { get; init; } = [];

    /// <summary>The tag template of this image; else the top-level one.</summary>
    public string? Template { get; init; }

    /// <summary>The names of the images this one is built from (built first; their digests feed <c>{image:NAME}</c>).</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>The builder of this image (docker, podman, buildah, dotnet); else <c>--builder</c>, <c>TAGFORGE_BUILDER</c>, the top-level <c>builder:</c>.</summary>
    public string? Builder { get; init; }

    /// <summary>The project <c>builder: dotnet</c> publishes for this image (absolute once loaded).</summary>
    public string? Project { get; init; }

    /// <summary>Where the entry was written (<c>tagforge.yml:12</c>), for messages.</summary>
    public string? Source { get; init; }
}
