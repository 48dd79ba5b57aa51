namespace TagForge.Content;

/// <summary>What goes into one image's <c>{content}</c> hash.</summary>
public sealed record ContentInput
{
    /// <summary>The build context (absolute). Required.</summary>
    public required string ContextPath { get; init; }

    /// <summary>The Dockerfile (absolute); else <c>CONTEXT/Dockerfile</c>.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>The build arguments (<c>NAME=VALUE</c>), as passed to docker (after <c>{image:NAME}</c> is replaced).</summary>
    public IReadOnlyList<string> BuildArgs { get; init; } = [];

    /// <summary>The build stage.</summary>
    public string? Target { get; init; }

    /// <summary>The platform, when one is asked for.</summary>
    public string? Platform { get; init; }

    /// <summary>The digests of the images of this repository it is built from, by name.</summary>
    public IReadOnlyDictionary<string, string> BaseDigests { get; init; } = new Dictionary<string, string>();
}
