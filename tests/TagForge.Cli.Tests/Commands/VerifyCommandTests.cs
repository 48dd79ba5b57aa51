using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>End-to-end: verify and resolve against a real registry. Needs: docker-registry (<see cref="LocalRegistry"/>).</summary>
public sealed class VerifyCommandTests
{
    private static string Pod(params string[] images) =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\nspec:\n  containers:\n" + string.Concat(images.Select((image, i) => $"  - name: c{i}\n    image: {image}\n"));

    [Fact]
    public async Task Verify_exits_3_naming_the_line_of_a_deleted_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var kept = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "kept");
        var deleted = await RegistryUploads.PushAsync(registry, "shop/api", "0.9", "deleted");
        await RegistryUploads.DeleteAsync(registry, "shop/api", deleted);
        using var directory = new TempDirectory("verify");
        directory.Write("k8s/pod.yaml", Pod($"{registry.Host}/shop/api:1.0@{kept}", $"{registry.Host}/shop/api:0.9@{deleted}"));

        var result = await TagForgeCli.RunAsync(["verify", "k8s"], directory.Path);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"k8s/pod.yaml:10:12: error: {registry.Host}/shop/api:0.9@{deleted} does not exist in {registry.Host} (deleted or never pushed); rebuild and pin again\n", result.StandardOutput);
        Assert.Contains("verified 2 pinned images (2 distinct digests): 1 missing, 0 not checked", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_exits_1_when_the_registry_is_unreachable_and_reports_nothing_missing()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var digest = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "x");
        await registry.StopAsync();
        using var directory = new TempDirectory("verify");
        directory.Write("pod.yaml", Pod($"{registry.Host}/shop/api@{digest}"));

        var result = await TagForgeCli.RunAsync(["verify", "pod.yaml"], directory.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains($"tagforge: error: pod.yaml:8:12: cannot verify {registry.Host}/shop/api@{digest}", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_pins_images_that_are_in_no_record_to_the_registrys_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var api = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "api");
        using var directory = new TempDirectory("resolve");
        directory.Write("compose.yaml", $"services:\n  api:\n    image: \"{registry.Host}/shop/api:1.0\" # resolved\n");

        var result = await TagForgeCli.RunAsync(["resolve", "compose.yaml"], directory.Path);
        var verify = await TagForgeCli.RunAsync(["verify", "compose.yaml"], directory.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"services:\n  api:\n    image: \"{registry.Host}/shop/api:1.0@{api}\" # resolved\n", File.ReadAllText(directory.Combine("compose.yaml")));
        Assert.Equal(0, verify.ExitCode);
    }
}
