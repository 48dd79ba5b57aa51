using TagForge.Values;

namespace TagForge.Registry;

/// <summary>An OCI content descriptor: what a manifest or index says about a blob or a child manifest.</summary>
/// <param name="MediaType">The referenced content's media type.</param>
/// <param name="Digest">Its digest.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Platform">For an index child: the platform it runs on.</param>
/// <param name="Annotations">The descriptor's annotations.</param>
/// <param name="ArtifactType">For a referrer: the artifact type (a signature, an SBOM).</param>
/// <param name="Urls">Where a non-distributable (foreign) layer is downloaded from; registries need not hold such a blob.</param>
public sealed record Descriptor(
    string MediaType,
    Digest Digest,
    long Size,
    Platform? Platform = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    string? ArtifactType = null,
    IReadOnlyList<string>? Urls = null)
{
    /// <summary>
    /// True for a layer that lives outside registries (OCI non-distributable, Docker foreign: it names <c>urls</c>):
    /// copies keep its descriptor and do not copy its blob, as <c>skopeo copy</c> does.
    /// </summary>
    public bool IsExternal => Urls is { Count: > 0 };

    /// <summary>
    /// True for the entries BuildKit adds to an index for attestations (provenance, SBOM): platform
    /// <c>unknown/unknown</c> with a <c>vnd.docker.reference.type</c> annotation. They are not runnable images.
    /// </summary>
    public bool IsAttestation =>
        Annotations?.ContainsKey("vnd.docker.reference.type") == true
        || Platform is { Os: "unknown", Architecture: "unknown" };
}
