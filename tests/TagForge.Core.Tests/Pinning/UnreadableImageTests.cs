using System.Diagnostics;
using System.Text;
using TagForge.Errors;
using TagForge.Records;

namespace TagForge.Pinning;

/// <summary>
/// Images TagForge used to pass in silence (issue 13 items 2-5, issue 14's duplicate keys and parser bounds): block
/// scalars, kustomize Components, a kustomize digest that is not one, an ambiguous record, keys written twice and
/// files nested without end. The rule: what sits in an image position is read, or it is a finding.
/// </summary>
public sealed class UnreadableImageTests
{
    private const string Nginx = "sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65";
    private const string Other = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static DeploymentFile Parse(string text, string name = "deploy.yaml") => DeploymentFile.Parse(name, Encoding.UTF8.GetBytes(text));

    private static PinnedFile Pin(string text, string name = "deploy.yaml") => Pinner.Pin(Parse(text, name), CorpusTests.Record);

    private static string Pod(string imageLines) => "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: " + imageLines;

    [Theory]
    [InlineData(">-")]
    [InlineData(">")]
    [InlineData("|")]
    [InlineData("|-")]
    public void A_block_scalar_image_is_pinned_and_keeps_its_block_style(string header)
    {
        var pinned = Pin(Pod($"{header}\n      nginx:1.25\n    ports: []\n"));

        Assert.Equal(Pod($"{header}\n      nginx:1.27.3@{Nginx}\n    ports: []\n"), pinned.Text);
        Assert.DoesNotContain(pinned.Findings, finding => finding.Severity == FindingSeverity.Error && finding.Code != "unpinned");
    }

    [Fact]
    public void A_block_scalar_image_with_crlf_line_breaks_is_pinned_in_place()
    {
        var pinned = Pin(Pod(">-\r\n      nginx:1.25\r\n").Replace("\n", "\r\n", StringComparison.Ordinal).Replace("\r\r", "\r", StringComparison.Ordinal));

        Assert.Contains($"image: >-\r\n      nginx:1.27.3@{Nginx}\r\n", pinned.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_flags_a_block_scalar_latest_with_the_line_of_its_value()
    {
        var finding = Assert.Single(Linter.Lint(Parse(Pod(">-\n      registry.example.com/app:latest\n"))));

        Assert.Equal(("floating-tag", 9, 7), (finding.Code, finding.Line, finding.Column));
    }

    [Fact]
    public void Compose_and_helm_block_scalars_are_read_too()
    {
        Assert.Equal($"services:\n  web:\n    image: |\n      nginx:1.27.3@{Nginx}\n", Pin("services:\n  web:\n    image: |\n      nginx\n", "compose.yaml").Text);
        Assert.Equal(
            $"image:\n  repository: >-\n    nginx\n  tag: 1.27.3@{Nginx}\n",
            Pin("image:\n  repository: >-\n    nginx\n  tag: '1.25'\n", "values.yaml").Text.Replace("'", "", StringComparison.Ordinal));
    }

    [Fact]
    public void A_block_scalar_of_several_lines_is_a_finding_for_lint_and_for_pin()
    {
        var text = Pod("|\n      nginx\n      :1.25\n");

        var lint = Assert.Single(Linter.Lint(Parse(text)));
        var pin = Assert.Single(Pin(text).Findings);

        Assert.Equal((FindingSeverity.Error, "unreadable", 8), (lint.Severity, lint.Code, lint.Line));
        Assert.Equal("unreadable", pin.Code);
        Assert.Contains("cannot read or rewrite", lint.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{repository: nginx}")]
    [InlineData("[nginx]")]
    public void An_image_that_is_not_a_string_is_a_finding(string value)
    {
        var finding = Assert.Single(Linter.Lint(Parse(Pod(value + "\n"))));

        Assert.Equal(("unreadable", 8, 12), (finding.Code, finding.Line, finding.Column));
    }

    [Fact]
    public void A_json_image_that_is_a_number_is_a_finding()
    {
        var file = Parse("""{"family": "app", "containerDefinitions": [{"name": "a", "image": 42}]}""", "task.json");

        Assert.Equal("unreadable", Assert.Single(Linter.Lint(file)).Code);
    }

    [Fact]
    public void A_kustomize_component_is_pinned_like_a_kustomization()
    {
        var text = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- name: nginx\n  newTag: '1.25'\n";

        var pinned = Pin(text, "kustomization.yaml");

        Assert.Equal(DeploymentFormat.Kustomization, pinned.File.Format);
        Assert.Equal($"apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- name: nginx\n  newTag: '1.27.3'\n  digest: {Nginx}\n", pinned.Text);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("sha256:5be1ecc7935f")]
    public void A_kustomize_digest_that_is_not_a_digest_is_replaced_when_the_record_has_the_image_and_pin_says_so(string digest)
    {
        var text = $"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n- name: nginx\n  newTag: '1.25'\n  digest: {digest}\n";

        var pinned = Pin(text, "kustomization.yaml");

        Assert.Equal($"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n- name: nginx\n  newTag: '1.27.3'\n  digest: {Nginx}\n", pinned.Text);
        var warning = Assert.Single(pinned.Findings, finding => finding.Code == "bad-digest-replaced");
        Assert.Equal(FindingSeverity.Warning, warning.Severity);
        Assert.Contains(digest, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kustomize_digest_that_is_not_a_digest_and_not_in_the_record_is_a_finding()
    {
        var text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n- name: redis\n  newTag: '7'\n  digest: 12345\n";

        var pinned = Pin(text, "kustomization.yaml");
        var lint = Linter.Lint(Parse(text, "kustomization.yaml"));

        Assert.Equal(text, pinned.Text);
        var finding = Assert.Single(pinned.Findings);
        Assert.Equal((FindingSeverity.Error, "bad-digest"), (finding.Severity, finding.Code));
        Assert.Equal("bad-digest", Assert.Single(lint).Code);
    }

    [Fact]
    public void A_record_naming_one_repository_in_two_spellings_with_different_digests_is_refused_naming_both()
    {
        var record = new BuildRecord(1, [Image("busybox", Nginx), Image("docker.io/library/busybox", Other)]);

        var error = Assert.Throws<BadInputException>(() => new RecordIndex(record, "tagforge.json"));

        Assert.Contains("'busybox'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'docker.io/library/busybox'", error.Message, StringComparison.Ordinal);
        Assert.Contains("tagforge.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_spellings_with_one_digest_are_not_ambiguous()
    {
        var index = new RecordIndex(new BuildRecord(1, [Image("busybox", Nginx), Image("docker.io/library/busybox", Nginx)]));

        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void A_task_definition_with_two_container_definitions_keys_is_a_finding_and_is_not_pinned()
    {
        var text = """
            {
              "family": "app",
              "containerDefinitions": [{"name": "a", "image": "nginx:1.25"}],
              "containerDefinitions": [{"name": "a", "image": "nginx:1.26"}]
            }
            """;

        var lint = Linter.Lint(Parse(text, "task.json"));
        var pinned = Pin(text, "task.json");

        Assert.Contains(lint, finding => finding is { Code: "duplicate-key", Line: 4, Severity: FindingSeverity.Error });
        Assert.Equal(text, pinned.Text);
        Assert.Contains(pinned.Findings, finding => finding is { Code: "duplicate-key", Severity: FindingSeverity.Error });
    }

    [Fact]
    public void A_yaml_image_key_written_twice_is_a_finding()
    {
        var text = Pod("nginx:1.25\n    image: nginx:latest\n");

        var lint = Linter.Lint(Parse(text));

        Assert.Contains(lint, finding => finding is { Code: "duplicate-key", Line: 9 });
        Assert.Equal(text, Pin(text).Text);
    }

    [Theory]
    [InlineData(2, 18)]
    [InlineData(17, 19)]
    [InlineData(0, 15)]
    [InlineData(15, 16)]
    public void An_image_key_written_twice_in_a_container_of_many_keys_is_found_with_its_first_line(int first, int again)
    {
        // A small mapping is scanned for a repeated key, a large one indexed: both must find the first of the two.
        var keys = Enumerable.Range(0, 20).Select(i => i == first || i == again ? $"    image: nginx:1.{i}\n" : $"    k{i}: v{i}\n");
        var text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n" + string.Concat(keys);

        var finding = Assert.Single(Linter.Lint(Parse(text)), finding => finding.Code == "duplicate-key");

        Assert.Equal(6 + again, finding.Line);
        Assert.Contains($"first at line {6 + first}", finding.Message, StringComparison.Ordinal);
        Assert.Equal(text, Pin(text).Text);
    }

    [Fact]
    public void A_duplicate_label_is_not_on_the_image_path_and_is_not_a_finding()
    {
        var text = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    app: a\n    app: b\nspec:\n  containers:\n  - name: a\n    image: nginx:1.25\n";

        Assert.Empty(Linter.Lint(Parse(text)));
    }

    [Theory]
    [InlineData("block")]
    [InlineData("flow")]
    [InlineData("json")]
    public void A_file_nested_fifty_thousand_deep_is_refused_quickly_with_the_limit_in_one_line(string shape)
    {
        const int Depth = 50_000;
        var (text, name) = shape switch
        {
            "block" => ("a:\n  " + string.Concat(Enumerable.Repeat("- ", Depth)) + "x\n", "deep.yaml"),
            "flow" => ("a: " + new string('[', Depth) + new string(']', Depth) + "\n", "deep.yaml"),
            _ => ("{\"a\": " + new string('[', Depth) + new string(']', Depth) + "}", "deep.json"),
        };

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<BadInputException>(() => Parse(text, name));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Contains("nested deeper than 256 levels", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(name + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_chain_of_fifty_thousand_merge_keys_is_refused_with_the_limit()
    {
        var text = new StringBuilder("a0: &a0 {image: nginx}\n");
        for (var i = 1; i < 50_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} {{<<: *a{i - 1}}}\n");
        }

        var error = Assert.Throws<BadInputException>(() => Parse(text.ToString(), "values.yaml"));

        Assert.Contains("nested deeper than 256 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_nested_just_under_the_limit_is_read()
    {
        var text = "a: " + new string('[', 255) + new string(']', 255) + "\n";

        Assert.Equal(DeploymentFormat.HelmValues, Parse(text, "values.yaml").Format);
    }

    private static ImageRecord Image(string repository, string digest) => new(
        repository, "1", digest, $"{repository}@{digest}", null, ["1"], null, new GitRecord("abc", "main", false), new BuildInfoRecord("local", null, null), DateTimeOffset.UnixEpoch);
}
