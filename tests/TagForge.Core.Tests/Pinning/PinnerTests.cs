using System.Text;

namespace TagForge.Pinning;

public sealed class PinnerTests
{
    private const string Api = "sha256:14c2529eb4498c5d1ffd6915d05bf58a91bdda796af59f41d480d11c099d0479";
    private const string Nginx = "sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65";

    private static DeploymentFile Parse(string text, string name = "test.yaml") => DeploymentFile.Parse(name, Encoding.UTF8.GetBytes(text));

    private static string Pin(string text, PinStyle style = PinStyle.TagDigest) => Pinner.Pin(Parse(text), CorpusTests.Record, new PinOptions(style)).Text;

    [Fact]
    public void The_digest_style_drops_the_tag()
    {
        var pinned = Pin("services:\n  web:\n    image: nginx:1.25 # proxy\n", PinStyle.Digest);

        Assert.Equal($"services:\n  web:\n    image: nginx@{Nginx} # proxy\n", pinned);
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("docker.io/nginx:1")]
    [InlineData("docker.io/library/nginx:1")]
    [InlineData("index.docker.io/library/nginx")]
    public void Docker_hub_names_match_however_they_are_written(string image)
    {
        var pinned = Pin($"services:\n  web:\n    image: {image}\n");

        Assert.Contains($"nginx:1.27.3@{Nginx}", pinned, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("registry.example.com:5000/shop/api-admin:2.4.0")]
    [InlineData("registry.example.com/shop/api:2.4.0")]
    [InlineData("registry.example.com:5001/shop/api:2.4.0")]
    [InlineData("nginxinc/nginx-unprivileged:1.27")]
    [InlineData("example.com/library/nginx")]
    public void Images_of_other_repositories_and_registries_are_left_alone(string image)
    {
        var text = $"services:\n  web:\n    image: {image}\n";

        var result = Pinner.Pin(Parse(text), CorpusTests.Record);

        Assert.Equal(text, result.Text);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void A_registry_port_is_not_mistaken_for_a_tag()
    {
        var pinned = Pin("services:\n  api:\n    image: registry.example.com:5000/shop/api\n");

        Assert.Equal($"services:\n  api:\n    image: registry.example.com:5000/shop/api:2.4.1-7-gabc1234@{Api}\n", pinned);
    }

    [Fact]
    public void Check_lists_every_reference_not_pinned_to_the_records_digest_with_its_line()
    {
        var file = CorpusTests.Sample("k8s-pinned.yaml");

        var findings = Pinner.Pin(file, CorpusTests.Record).Findings;

        Assert.Equal([15, 18, 29], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal("unpinned", f.Code));
    }

    [Fact]
    public void A_double_quoted_value_stays_double_quoted_and_a_single_quoted_one_single_quoted()
    {
        Assert.Equal($"services:\n  a:\n    image: \"nginx:1.27.3@{Nginx}\"\n", Pin("services:\n  a:\n    image: \"nginx\"\n"));
        Assert.Equal($"services:\n  a:\n    image: 'nginx:1.27.3@{Nginx}'\n", Pin("services:\n  a:\n    image: 'nginx'\n"));
    }

    [Fact]
    public void A_kustomization_entry_at_the_end_of_a_file_without_a_final_newline_gains_a_digest_line_and_still_has_none()
    {
        var pinned = Pin("kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nimages:\n- name: nginx\n  newTag: '1.27'");

        Assert.Equal($"kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nimages:\n- name: nginx\n  newTag: '1.27.3'\n  digest: {Nginx}", pinned);
    }

    [Fact]
    public void A_helm_block_without_a_digest_key_gets_the_digest_in_its_tag()
    {
        var pinned = Pin("image:\n  repository: nginx\n  tag: \"1.27\"\n");

        Assert.Equal($"image:\n  repository: nginx\n  tag: \"1.27.3@{Nginx}\"\n", pinned);
    }

    [Fact]
    public void Template_and_variable_references_are_not_touched()
    {
        var text = "services:\n  a:\n    image: ${REGISTRY}/nginx:${TAG}\n  b:\n    image: \"{{ .Values.image }}\"\n";

        var result = Pinner.Pin(Parse(text), CorpusTests.Record);

        Assert.Equal(text, result.Text);
    }
}
