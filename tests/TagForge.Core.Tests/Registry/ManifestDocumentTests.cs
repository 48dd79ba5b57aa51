using System.Text;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>Which bodies count as a manifest or index, and the index TagForge writes.</summary>
public class ManifestDocumentTests
{
    private static bool Parses(string body, string? served = null) =>
        ManifestDocument.TryParse(Encoding.UTF8.GetBytes(body), served, out _, out _);

    [Theory]
    [InlineData("<html>login</html>")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"schemaVersion\":1,\"config\":{}}")]
    [InlineData("{\"schemaVersion\":2}")]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:abc\"}}")]
    [InlineData("{\"schemaVersion\":2,\"manifests\":[{\"size\":\"big\",\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"}]}")]
    public void Bodies_that_are_not_a_manifest_or_index_do_not_parse(string body) => Assert.False(Parses(body, "application/json"));

    [Fact]
    public void An_index_without_a_media_type_field_is_an_oci_index_and_attestation_entries_are_recognised()
    {
        var zero = new string('0', 64);
        var one = new string('1', 64);
        var body = $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{{{zero}}}","size":10,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{{{one}}}","size":5,"platform":{"os":"unknown","architecture":"unknown"},"annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}""";

        Assert.True(ManifestDocument.TryParse(Encoding.UTF8.GetBytes(body), null, out var document, out _));
        Assert.True(document.IsIndex);
        Assert.Equal("linux/arm64/v8", document.Manifests[0].Platform?.ToString());
        Assert.False(document.Manifests[0].IsAttestation);
        Assert.True(document.Manifests[1].IsAttestation);
    }

    [Fact]
    public void The_index_written_is_deterministic_and_parses_back_to_the_same_children()
    {
        var children = new[]
        {
            new Descriptor(ManifestDocument.OciManifest, Digest.Sha256Of("a"u8), 100, Platform.Parse("linux/amd64")),
            new Descriptor(ManifestDocument.DockerManifest, Digest.Sha256Of("b"u8), 200, Platform.Parse("linux/arm/v7")),
        };

        var first = ManifestDocument.SerializeIndex(children, new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        var second = ManifestDocument.SerializeIndex(children, new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });

        Assert.Equal(first, second);
        Assert.True(ManifestDocument.TryParse(first, null, out var document, out _));
        Assert.Equal(ManifestDocument.OciIndex, document.MediaType);
        Assert.Equal(children, document.Manifests);
    }

    [Theory]
    [InlineData("linux/amd64", true)]
    [InlineData("linux/arm64/v8", true)]
    [InlineData("linux", false)]
    [InlineData("linux//arm64", false)]
    [InlineData("linux/arm64/v8/extra", false)]
    [InlineData("linux/arm 64", false)]
    public void Platforms_parse_as_os_architecture_and_an_optional_variant(string text, bool valid)
    {
        Assert.Equal(valid, Platform.TryParse(text, out var platform));
        if (valid)
        {
            Assert.Equal(text, platform!.ToString());
        }
    }
}
