using System.Text.RegularExpressions;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>What a tag's name says about the image it points at, for prune.</summary>
internal enum PruneTagKind
{
    /// <summary>An image of its own (a release).</summary>
    Image,

    /// <summary>cosign's <c>sha256-HEX.sig</c>, <c>.att</c> or <c>.sbom</c>: belongs to the image HEX.</summary>
    Artifact,

    /// <summary>The OCI 1.1 referrers tag schema <c>sha256-HEX</c> (an index of HEX's referrers, where the API is missing).</summary>
    Referrers,

    /// <summary><c>TAG-os-arch</c>: one platform of the index <c>TAG</c> (buildx and manifest tools push them).</summary>
    Platform,
}

/// <summary>Reads tag names the way signing and multi-platform tools write them.</summary>
internal static partial class PruneTags
{
    private static readonly string[] ArtifactSuffixes = [".sig", ".att", ".sbom"];

    /// <summary>The kind of <paramref name="tag"/> and, for an artifact or referrers tag, its subject; for a platform tag, the index tag.</summary>
    public static PruneTagKind Classify(string tag, out Digest? subject, out string? indexTag)
    {
        subject = null;
        indexTag = null;
        var dot = tag.LastIndexOf('.');
        if (dot > 0 && ArtifactSuffixes.Contains(tag[dot..], StringComparer.Ordinal) && Subject(tag[..dot]) is { } signed)
        {
            subject = signed;
            return PruneTagKind.Artifact;
        }

        if (Subject(tag) is { } referred)
        {
            subject = referred;
            return PruneTagKind.Referrers;
        }

        var platform = PlatformSuffix().Match(tag);
        if (platform.Success)
        {
            indexTag = platform.Groups["tag"].Value;
            return PruneTagKind.Platform;
        }

        return PruneTagKind.Image;
    }

    /// <summary>The tags that belong to <paramref name="digest"/>: its referrers tag and its signature, attestation and SBOM tags.</summary>
    public static IEnumerable<string> ArtifactTagsOf(Digest digest)
    {
        var prefix = $"{digest.Algorithm}-{digest.Hex}";
        yield return prefix;
        foreach (var suffix in ArtifactSuffixes)
        {
            yield return prefix + suffix;
        }
    }

    /// <summary><c>sha256-HEX</c> → <c>sha256:HEX</c>, else null.</summary>
    private static Digest? Subject(string text)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && Digest.TryParse(string.Concat(text.AsSpan(0, dash), ":", text.AsSpan(dash + 1)), out var digest) ? digest : null;
    }

    [GeneratedRegex("^(?<tag>.+)-(linux|windows|darwin|freebsd)-(amd64|arm64|arm|386|ppc64le|s390x|riscv64|mips64le)(-?v[5-8])?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlatformSuffix();
}
