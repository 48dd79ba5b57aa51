using System.Text.Json;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>End-to-end: the built tagforge pinning and linting copies of the deployment-file corpus.</summary>
public sealed class PinCommandTests
{
    private const string Nginx = "sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65";

    private static TempDirectory CopyCorpus()
    {
        var directory = new TempDirectory("pin");
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus")))
        {
            File.Copy(file, directory.Combine(Path.GetFileName(file)));
        }

        return directory;
    }

    private static string[] Samples(TempDirectory directory) =>
        [.. Directory.GetFiles(directory.Path, "*.expected").Select(file => file[..^".expected".Length])];

    [Fact]
    public async Task Pins_a_directory_in_place_to_exactly_the_expected_bytes()
    {
        using var directory = CopyCorpus();

        var result = await TagForgeCli.RunAsync(["pin", ".", "--record", "tagforge.json"], directory.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var sample in Samples(directory))
        {
            Assert.True(File.ReadAllBytes(sample).AsSpan().SequenceEqual(File.ReadAllBytes(sample + ".expected")), $"{sample} differs from its .expected");
        }

        Assert.Contains("tagforge: pinned 3 images in ./compose.yaml", result.StandardError, StringComparison.Ordinal);
        Assert.EndsWith("tagforge: pinned 31 images in 12 files\n", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }

    [Fact]
    public async Task Check_exits_3_listing_each_unpinned_reference_then_0_once_pinned()
    {
        using var directory = CopyCorpus();
        var before = File.ReadAllText(directory.Combine("k8s-pinned.yaml"));

        var check = await TagForgeCli.RunAsync(["pin", "--check", "k8s-pinned.yaml", "kustomization.yaml"], directory.Path);
        await TagForgeCli.RunAsync(["pin", "k8s-pinned.yaml", "kustomization.yaml"], directory.Path);
        var again = await TagForgeCli.RunAsync(["pin", "--check", "k8s-pinned.yaml", "kustomization.yaml"], directory.Path);

        Assert.Equal(3, check.ExitCode);
        Assert.Contains("k8s-pinned.yaml:15:16: error: registry.example.com:5000/shop/api@sha256:cba06b", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("k8s-pinned.yaml:18:16: error: docker.io/nginx is not pinned to " + Nginx, check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("kustomization.yaml:14:31: error:", check.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("k8s-pinned.yaml:12:", check.StandardOutput, StringComparison.Ordinal);
        Assert.Equal((0, ""), (again.ExitCode, again.StandardOutput));
        Assert.NotEqual(before, File.ReadAllText(directory.Combine("k8s-pinned.yaml")));
    }

    [Fact]
    public async Task Dry_run_prints_a_unified_diff_and_writes_nothing()
    {
        using var directory = CopyCorpus();
        var before = File.ReadAllBytes(directory.Combine("values.yaml"));

        var result = await TagForgeCli.RunAsync(["pin", "values.yaml", "--dry-run"], directory.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("--- a/values.yaml\n+++ b/values.yaml\n@@ ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\n-    tag: \"v3.1.9\"\n+    tag: \"v3.2.0@sha256:1cf387c", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(directory.Combine("values.yaml")));
        Assert.Contains("would pin 4 images in values.yaml", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dash_reads_stdin_and_writes_the_pinned_file_to_stdout()
    {
        using var directory = CopyCorpus();

        var result = await TagForgeCli.RunAsync(["pin", "-", "--style", "digest"], directory.Path, standardInput: "services:\n  web:\n    image: nginx:1.25  # proxy\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"services:\n  web:\n    image: nginx@{Nginx}  # proxy\n", result.StandardOutput);
    }

    [Fact]
    public async Task Bad_files_are_reported_one_by_one_with_exit_2_while_the_others_are_still_pinned()
    {
        using var directory = CopyCorpus();
        directory.Write("broken/a-bad.yaml", "apiVersion: v1\nkind: Pod\nspec: [\n");
        directory.Write("broken/b-bad.json", "{\"containerDefinitions\": [");
        directory.Write("broken/c-other.yaml", "name: ci\non: push\n");
        File.CreateSymbolicLink(directory.Combine("broken", "d-dangling.yaml"), directory.Combine("nowhere.yaml"));
        directory.Write("broken/e-good.yaml", "services:\n  web:\n    image: nginx\n");

        var result = await TagForgeCli.RunAsync(["pin", "broken", "missing.yaml"], directory.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tagforge: error: missing.yaml: no such file or directory", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("tagforge: error: broken/a-bad.yaml:4:1: invalid YAML", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("tagforge: error: broken/b-bad.json: invalid JSON", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("tagforge: error: broken/c-other.yaml: not a deployment file", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("tagforge: error: broken/d-dangling.yaml: cannot read it", result.StandardError, StringComparison.Ordinal);
        Assert.Equal($"services:\n  web:\n    image: nginx:1.27.3@{Nginx}\n", File.ReadAllText(directory.Combine("broken", "e-good.yaml")));
        Assert.Equal("apiVersion: v1\nkind: Pod\nspec: [\n", File.ReadAllText(directory.Combine("broken", "a-bad.yaml")));
    }

    [Fact]
    public async Task A_directory_of_thousands_of_files_is_pinned_with_one_message_per_bad_file()
    {
        using var directory = CopyCorpus();
        for (var i = 0; i < 2000; i++)
        {
            directory.Write($"many/app-{i:D4}.yaml", $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: app-{i}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.{i}\n");
        }

        directory.Write("many/app-0500.yaml", "apiVersion: v1\nkind: Pod\nspec: {containers: [\n");

        var result = await TagForgeCli.RunAsync(["pin", "many"], directory.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StandardError.Split('\n'), line => line.StartsWith("tagforge: error:", StringComparison.Ordinal));
        Assert.EndsWith("pinned 1999 images in 1999 files\n", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"image: nginx:1.27.3@{Nginx}\n", File.ReadAllText(directory.Combine("many", "app-1999.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_record_is_bad_input()
    {
        using var directory = CopyCorpus();

        var result = await TagForgeCli.RunAsync(["pin", "values.yaml", "--record", "nope.json"], directory.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tagforge: error: cannot read the build record nope.json", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_exits_3_with_file_line_column_and_a_fix_and_warns_on_pull_always()
    {
        using var directory = CopyCorpus();

        var result = await TagForgeCli.RunAsync(["lint", "k8s-multidoc.yaml", "k8s-pinned.yaml"], directory.Path);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            """
            k8s-multidoc.yaml:31:18: warning: imagePullPolicy: Always works around the mutable reference nginx:1.27; pin a digest instead, then IfNotPresent is exact
            k8s-multidoc.yaml:55:20: error: registry.example.com:5000/shop/api:latest uses the floating tag 'latest' and no digest; pin it: tagforge pin k8s-multidoc.yaml --record tagforge.json, or tagforge resolve k8s-multidoc.yaml
            k8s-pinned.yaml:18:16: error: docker.io/nginx has no tag (means :latest) and no digest; pin it: tagforge pin k8s-pinned.yaml --record tagforge.json, or tagforge resolve k8s-pinned.yaml
            k8s-pinned.yaml:29:16: error: nginx:latest uses the floating tag 'latest' and no digest; pin it: tagforge pin k8s-pinned.yaml --record tagforge.json, or tagforge resolve k8s-pinned.yaml
            k8s-pinned.yaml:29:16: warning: imagePullPolicy: Always works around the mutable reference nginx:latest; pin a digest instead, then IfNotPresent is exact

            """, result.StandardOutput);
    }

    [Fact]
    public async Task Lint_passes_the_pinned_corpus()
    {
        using var directory = CopyCorpus();
        await TagForgeCli.RunAsync(["pin", "."], directory.Path);

        var result = await TagForgeCli.RunAsync(["lint", "."], directory.Path);

        // compose.yaml's ${MIGRATE_TAG} reference cannot be checked: a warning, not a failure.
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("./compose.yaml:30:12: warning: 'localhost:5000/tools/migrate:${MIGRATE_TAG:-1.0.0}' is not a literal image reference", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_as_json_lists_findings_with_codes()
    {
        using var directory = CopyCorpus();

        var result = await TagForgeCli.RunAsync(["lint", "ecs-register.json", "--format", "json", "--floating-tags", "latest,3.3"], directory.Path);

        Assert.Equal(3, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("line").GetInt32()}:{f.GetProperty("code").GetString()}:{f.GetProperty("reference").GetString()}").ToList();
        Assert.Equal(["10:floating-tag:123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing/worker:latest", "14:floating-tag:amazon/aws-xray-daemon:3.3"], findings);
    }

    [Fact]
    public async Task In_github_actions_findings_are_also_annotations()
    {
        using var directory = CopyCorpus();

        var result = await TagForgeCli.RunAsync(["lint", "Dockerrun-v2.aws.json"], directory.Path, new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true" });

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("::error file=Dockerrun-v2.aws.json,line=7,col=19::ghcr.io/acme/frontend has no tag", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinning_files_that_name_no_image_in_the_record_warns()
    {
        using var directory = CopyCorpus();
        directory.Write("other.yaml", "services:\n  db:\n    image: postgres:16\n");

        var result = await TagForgeCli.RunAsync(["pin", "other.yaml"], directory.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("tagforge: warning: no image in these files is in the record tagforge.json (5 repositories)", result.StandardError, StringComparison.Ordinal);
    }
}
