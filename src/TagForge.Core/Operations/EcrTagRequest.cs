using TagForge.Ecr;

namespace TagForge.Operations;

/// <summary>The image <see cref="EcrTagOperation"/> tags registry-side, and the tag.</summary>
public sealed record EcrTagRequest
{
    /// <summary>The image, by tag or digest: <c>&lt;registry&gt;/&lt;repo&gt;:&lt;tag&gt;</c> or <c>&lt;registry&gt;/&lt;repo&gt;@sha256:…</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The tag to add.</summary>
    public required string NewTag { get; init; }

    /// <summary>How ECR is recognised and reached (<c>--ecr</c>, <c>--region</c>, <c>--endpoint-url</c>); host detection and the standard endpoints when null.</summary>
    public EcrSettings? Ecr { get; init; }
}
