using TagForge.Values;

namespace TagForge.Operations;

/// <summary>How prune reads tag names: cosign artifact tags, the OCI 1.1 referrers tag schema, platform tags. Needs nothing.</summary>
public sealed class PruneTagsTests
{
    private const string Hex = "8b1d0c2e94aa8b1d0c2e94aa8b1d0c2e94aa8b1d0c2e94aa8b1d0c2e94aa8b1d";

    [Theory]
    [InlineData("sha256-" + Hex + ".sig", "Artifact")]
    [InlineData("sha256-" + Hex + ".att", "Artifact")]
    [InlineData("sha256-" + Hex + ".sbom", "Artifact")]
    [InlineData("sha256-" + Hex, "Referrers")]
    public void Artifact_and_referrers_tags_name_their_subject(string tag, string kind)
    {
        Assert.Equal(kind, PruneTags.Classify(tag, out var subject, out _).ToString());
        Assert.Equal(Digest.Parse("sha256:" + Hex), subject);
    }

    [Theory]
    [InlineData("1.4.0-linux-amd64", "1.4.0")]
    [InlineData("v2-linux-arm64-v8", "v2")]
    [InlineData("main-abc123-windows-amd64", "main-abc123")]
    [InlineData("1.0-linux-arm-v7", "1.0")]
    public void Platform_tags_name_their_index_tag(string tag, string index)
    {
        Assert.Equal(PruneTagKind.Platform, PruneTags.Classify(tag, out _, out var indexTag));
        Assert.Equal(index, indexTag);
    }

    [Theory]
    [InlineData("1.4.0")]
    [InlineData("latest")]
    [InlineData("sha256-notahex.sig")]
    [InlineData("linux-amd64")]
    [InlineData("sha256-" + Hex + ".tar")]
    public void Anything_else_is_an_image_of_its_own(string tag) => Assert.Equal(PruneTagKind.Image, PruneTags.Classify(tag, out _, out _));

    [Fact]
    public void A_digest_owns_its_referrers_tag_and_its_three_artifact_tags() =>
        Assert.Equal(["sha256-" + Hex, "sha256-" + Hex + ".sig", "sha256-" + Hex + ".att", "sha256-" + Hex + ".sbom"], PruneTags.ArtifactTagsOf(Digest.Parse("sha256:" + Hex)));
}
