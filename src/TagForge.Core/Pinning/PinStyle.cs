
namespace TagForge.Pinning;

/// <summary>How a pinned reference is written.</summary>
public enum PinStyle
{
    /// <summary><c>repository:tag@sha256:…</c>: readable and exact (the default).</summary>
    TagDigest,

    /// <summary><c>repository@sha256:…</c>.</summary>
    Digest,
}
