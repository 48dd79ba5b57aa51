using System.Text;

namespace TagForge.Pinning;

public sealed class LinterTests
{
    private static IReadOnlyList<Finding> Lint(string images, LintOptions? options = null) => Linter.Lint(
        DeploymentFile.Parse("deploy.yaml", Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n" + images)), options);

    [Theory]
    [InlineData("nginx", "no-tag")]
    [InlineData("nginx:latest", "floating-tag")]
    [InlineData("nginx:LATEST", "floating-tag")]
    [InlineData("registry.example.com:5000/app", "no-tag")]
    [InlineData("ghcr.io/acme/app:main", "floating-tag")]
    public void References_that_float_are_errors_with_their_position_and_a_fix(string image, string code)
    {
        var finding = Assert.Single(Lint($"  - name: a\n    image: {image}\n"));

        Assert.Equal((FindingSeverity.Error, code, 6, 12), (finding.Severity, finding.Code, finding.Line, finding.Column));
        Assert.Contains("tagforge pin deploy.yaml --record tagforge.json", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nginx:1.27.3")]
    [InlineData("registry.example.com:5000/app:1.0")]
    [InlineData("nginx:latest@sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65")]
    [InlineData("nginx@sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65")]
    public void Exact_references_pass(string image)
    {
        Assert.Empty(Lint($"  - name: a\n    image: {image}\n    imagePullPolicy: IfNotPresent\n"));
    }

    [Fact]
    public void The_floating_tag_list_is_configurable()
    {
        var findings = Lint("  - name: a\n    image: app:release\n  - name: b\n    image: app:latest\n", new LintOptions(["release"]));

        Assert.Equal(["app:release"], findings.Select(f => f.Reference));
    }

    [Fact]
    public void Pull_policy_always_on_a_mutable_tag_is_a_warning_and_on_a_digest_is_fine()
    {
        var findings = Lint("  - name: a\n    image: app:1.2\n    imagePullPolicy: Always\n  - name: b\n    image: app@sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65\n    imagePullPolicy: Always\n");

        var warning = Assert.Single(findings);
        Assert.Equal((FindingSeverity.Warning, "pull-always", "app:1.2"), (warning.Severity, warning.Code, warning.Reference));
    }

    [Fact]
    public void Linting_the_corpus_finds_each_floating_reference_in_every_format()
    {
        var files = new[] { "compose.yaml", "ecs-register.json", "Dockerrun-v2.aws.json", "k8s-multidoc.yaml", "k8s-pinned.yaml", "values.yaml", "kustomization.yaml" };

        var errors = files.SelectMany(name => Linter.Lint(CorpusTests.Sample(name))).Where(f => f.Severity == FindingSeverity.Error)
            .Select(f => $"{Path.GetFileName(f.File)}:{f.Line}:{f.Column}:{f.Code}").ToList();

        Assert.Equal(
        [
            "compose.yaml:26:12:no-tag",
            "ecs-register.json:10:13:floating-tag",
            "Dockerrun-v2.aws.json:7:19:no-tag",
            "k8s-multidoc.yaml:55:20:floating-tag",
            "k8s-pinned.yaml:18:16:no-tag",
            "k8s-pinned.yaml:29:16:floating-tag",
        ], errors);
    }

    [Fact]
    public void Kustomize_entries_without_new_tag_and_helm_blocks_with_an_empty_tag_inherit_their_tag_and_are_not_flagged()
    {
        var kustomization = DeploymentFile.Parse("kustomization.yaml", Encoding.UTF8.GetBytes("images:\n- name: app\n  newName: registry.example.com/team/app\n- name: web\n  newTag: latest\n"));
        var values = DeploymentFile.Parse("values.yaml", Encoding.UTF8.GetBytes("image:\n  repository: team/app\n  tag: \"\"\n"));

        Assert.Equal(["web:latest"], Linter.Lint(kustomization).Select(f => f.Reference));
        Assert.Empty(Linter.Lint(values));
        Assert.True(Assert.Single(values.Images).TagIsInherited);
    }
}
