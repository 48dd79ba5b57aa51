using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// End-to-end: what TagForge cannot read in a deployment file is a finding or a bad file with its exit code, never a
/// silent pass (issue 13 items 2 and 5, issue 14's duplicate keys and nesting limit).
/// </summary>
public sealed class UnreadableImageCommandTests
{
    private const string Busybox = "sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65";
    private const string Other = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static string Record(params (string Repository, string Digest)[] images) =>
        "{\"schemaVersion\": 1, \"images\": ["
        + string.Join(",", images.Select(image => $$"""
            {"repository": "{{image.Repository}}", "tag": "1", "digest": "{{image.Digest}}", "reference": "{{image.Repository}}@{{image.Digest}}",
             "imageId": null, "tags": ["1"], "platform": null, "git": {"commit": "abc", "branch": "main", "dirty": false},
             "build": {"provider": "local", "number": null, "url": null}, "createdAt": "2026-11-23T10:00:00+00:00"}
            """))
        + "]}";

    private static string Pod(string image) => $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: {image}\n";

    [Fact]
    public async Task Lint_exits_3_on_a_block_scalar_latest_with_its_line()
    {
        using var directory = new TempDirectory("unreadable");
        directory.Write("pod.yaml", Pod(">-\n      registry.example.com/app:latest"));

        var result = await TagForgeCli.RunAsync(["lint", "pod.yaml"], directory.Path);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("pod.yaml:9:7: error: registry.example.com/app:latest uses the floating tag", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pin_of_an_ambiguous_record_exits_2_naming_both_entries_and_changes_no_file()
    {
        using var directory = new TempDirectory("unreadable");
        directory.Write("tagforge.json", Record(("busybox", Busybox), ("docker.io/library/busybox", Other)));
        var before = Pod("busybox:1");
        directory.Write("pod.yaml", before);

        var result = await TagForgeCli.RunAsync(["pin", "pod.yaml"], directory.Path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'busybox'", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("'docker.io/library/busybox'", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(directory.Combine("pod.yaml")));
    }

    [Fact]
    public async Task Pin_warns_about_an_image_it_cannot_read_and_check_fails_on_it()
    {
        using var directory = new TempDirectory("unreadable");
        directory.Write("tagforge.json", Record(("busybox", Busybox)));
        directory.Write("pod.yaml", Pod("|\n      busybox\n      :1"));
        directory.Write("ok.yaml", Pod("busybox:1"));

        var pin = await TagForgeCli.RunAsync(["pin", "pod.yaml", "ok.yaml"], directory.Path);
        var check = await TagForgeCli.RunAsync(["pin", "--check", "pod.yaml", "ok.yaml"], directory.Path);

        Assert.True(pin.ExitCode == 0, pin.ToString());
        Assert.Contains("tagforge: warning: pod.yaml:8:12: the image is a block scalar of more than one line", pin.StandardError, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 3, check.ToString());
        Assert.Contains("pod.yaml:8:12: error:", check.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_definition_with_two_container_definitions_keys_fails_lint_and_pin_check_and_is_not_pinned()
    {
        using var directory = new TempDirectory("unreadable");
        directory.Write("tagforge.json", Record(("busybox", Busybox)));
        var task = "{\n  \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"busybox:1\"}],\n  \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"busybox:2\"}]\n}\n";
        directory.Write("task.json", task);

        var lint = await TagForgeCli.RunAsync(["lint", "task.json"], directory.Path);
        var check = await TagForgeCli.RunAsync(["pin", "--check", "task.json"], directory.Path);
        var pin = await TagForgeCli.RunAsync(["pin", "task.json"], directory.Path);

        Assert.True(lint.ExitCode == 3, lint.ToString());
        Assert.Contains("task.json:3:3: error: the key 'containerDefinitions' is written twice", lint.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(3, check.ExitCode);
        Assert.Contains("task.json:3:3: the key 'containerDefinitions' is written twice", pin.StandardError, StringComparison.Ordinal);
        Assert.Equal(task, File.ReadAllText(directory.Combine("task.json")));
    }

    [Fact]
    public async Task Yaml_nested_fifty_thousand_deep_is_exit_2_with_one_line_naming_the_limit_and_the_other_files_are_still_linted()
    {
        using var directory = new TempDirectory("unreadable");
        directory.Write("deep.yaml", "a:\n  " + string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n");
        directory.Write("pod.yaml", Pod("busybox:latest"));

        var result = await TagForgeCli.RunAsync(["lint", "deep.yaml", "pod.yaml"], directory.Path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("tagforge: error: deep.yaml:2: nested deeper than 256 levels of mappings and sequences (merge keys included), TagForge's limit for a deployment file; not read\n",
            result.StandardError, StringComparison.Ordinal);
        Assert.Contains("pod.yaml:8:12: error:", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }
}
