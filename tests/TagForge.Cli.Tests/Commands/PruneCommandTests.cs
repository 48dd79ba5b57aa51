using System.Text.Json;
using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Cli.Tests.Commands;

/// <summary>End-to-end: tagforge prune against a real registry (<see cref="LocalRegistry"/>, with and without deletes). Needs: docker-registry.</summary>
public sealed class PruneCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ImageReference Ref(string host, string path) => ImageReference.Parse($"{host}/{path}");

    [Fact]
    public async Task Prune_prints_a_plan_deletes_nothing_without_apply_and_with_apply_only_what_nothing_keeps()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var pinned = await RegistryImages.PushImageAsync(client, Ref(registry.Host, "shop/api:1.0"), cancellationToken: Token);
        var recorded = await RegistryImages.PushImageAsync(client, Ref(registry.Host, "shop/api:1.1"), cancellationToken: Token);
        var old = await RegistryImages.PushImageAsync(client, Ref(registry.Host, "shop/api:0.9"), cancellationToken: Token);
        using var directory = new TempDirectory("prune-cli");
        directory.Write("ecs/task.json", $"{{\"containerDefinitions\": [{{\"name\": \"api\", \"image\": \"{registry.Host}/shop/api@{pinned.Digest}\"}}]}}");
        directory.Write("tagforge.json", Samples.RecordJson($"{registry.Host}/shop/api", recorded.Digest.ToString()));
        string[] keep = ["--keep-record", "tagforge.json", "--keep-pinned", "ecs"];

        var plan = await TagForgeCli.RunAsync(["prune", $"{registry.Host}/shop/api", .. keep], directory.Path);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        var lines = plan.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("TAG  DIGEST", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("1.0 ", StringComparison.Ordinal) && line.Contains(" keep ", StringComparison.Ordinal) && line.EndsWith("pinned in ecs/task.json:1", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("0.9 ", StringComparison.Ordinal) && line.Contains(" delete ", StringComparison.Ordinal) && line.EndsWith("nothing keeps it", StringComparison.Ordinal));
        Assert.Contains("nothing deleted (--apply deletes)", plan.StandardError, StringComparison.Ordinal);
        Assert.NotNull(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{old.Digest}"), Token));

        var applied = await TagForgeCli.RunAsync(["prune", $"{registry.Host}/shop/api", .. keep, "--apply", "--format", "json"], directory.Path);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        using var json = JsonDocument.Parse(applied.StandardOutput);
        Assert.Equal([old.Digest.ToString()], json.RootElement.GetProperty("deleted").EnumerateArray().Select(item => item.GetString()));
        Assert.Null(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{old.Digest}"), Token));
        Assert.NotNull(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{pinned.Digest}"), Token));
        Assert.NotNull(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{recorded.Digest}"), Token));
    }

    [Fact]
    public async Task Prune_check_is_exit_3_when_a_pinned_digest_is_gone()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var directory = new TempDirectory("prune-cli");
        var gone = Digest.Sha256Of("gone"u8);
        directory.Write("pod.yaml", Samples.Pod($"{registry.Host}/shop/api@{gone}"));

        var result = await TagForgeCli.RunAsync(["prune", $"{registry.Host}/shop/api", "--keep-pinned", "pod.yaml", "--check"], directory.Path);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{registry.Host}/shop/api@{gone} is referenced by pinned in pod.yaml:8 but no longer exists", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_on_a_registry_without_deletes_is_exit_1_and_says_nothing_was_deleted()
    {
        await using var registry = await LocalRegistry.StartWithoutDeleteAsync();
        using var client = new RegistryClient();
        await RegistryImages.PushImageAsync(client, Ref(registry.Host, "shop/api:0.9"), cancellationToken: Token);

        var result = await TagForgeCli.RunAsync(["prune", $"{registry.Host}/shop/api", "--keep-nothing-i-am-sure", "--apply"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"tagforge: error: nothing was deleted from {registry.Host}/shop/api: registry {registry.Host} does not allow deleting manifests", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_without_a_keep_set_or_with_an_unreadable_pinned_file_is_exit_2()
    {
        using var directory = new TempDirectory("prune-cli");
        directory.Write("broken.json", "{\"containerDefinitions\": [{\"image\": }]}");

        var none = await TagForgeCli.RunAsync(["prune", "127.0.0.1:9/shop/api", "--apply"], directory.Path);
        var broken = await TagForgeCli.RunAsync(["prune", "127.0.0.1:9/shop/api", "--keep-pinned", "broken.json", "--apply"], directory.Path);

        Assert.Equal(2, none.ExitCode);
        Assert.Contains("has no keep set", none.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("an unreadable keep set is not an empty one", broken.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_keep_file_is_exit_2_and_an_unresolvable_image_is_exit_2_unless_accept_unreadable()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var kept = await RegistryImages.PushImageAsync(client, Ref(registry.Host, "shop/api:1.0"), cancellationToken: Token);
        var old = await RegistryImages.PushImageAsync(client, Ref(registry.Host, "shop/api:0.9"), cancellationToken: Token);
        using var directory = new TempDirectory("prune-cli");
        directory.Write("deploy.yaml", "");
        directory.Write("compose.yaml", $"services:\n  api:\n    image: {registry.Host}/shop/api:1.0\n  worker:\n    image: {registry.Host}/shop/api:${{WORKER_TAG}}\n");

        var empty = await TagForgeCli.RunAsync(["prune", $"{registry.Host}/shop/api", "--keep-pinned", "deploy.yaml", "--apply"], directory.Path);
        var refused = await TagForgeCli.RunAsync(["prune", $"{registry.Host}/shop/api", "--keep-pinned", "compose.yaml", "--apply"], directory.Path);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("deploy.yaml: no image found in it", empty.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("compose.yaml:5: the image", refused.StandardError, StringComparison.Ordinal);
        Assert.NotNull(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{old.Digest}"), Token));

        var accepted = await TagForgeCli.RunAsync(["prune", $"{registry.Host}/shop/api", "--keep-pinned", "compose.yaml", "--accept-unreadable", "--apply"], directory.Path);

        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Contains("accepted by --accept-unreadable", accepted.StandardError, StringComparison.Ordinal);
        Assert.Null(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{old.Digest}"), Token));
        Assert.NotNull(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{kept.Digest}"), Token));
    }
}
