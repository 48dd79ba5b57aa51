using TagForge.Errors;
using TagForge.Services;
using TagForge.Testing;

namespace TagForge.Operations;

/// <summary>Resolve against a real registry. Needs: docker-registry (<see cref="LocalRegistry"/>).</summary>
public sealed class ResolveOperationTests
{
    [Fact]
    public async Task Pins_images_in_no_record_to_the_registrys_digest_and_writes_them()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var api = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "api");
        using var directory = new TempDirectory("resolve-op");
        directory.Write("deploy/pod.yaml", Samples.Pod($"{registry.Host}/shop/api:1.0"));

        using var services = Samples.In(directory);
        var result = await ResolveOperation.RunAsync(new ResolveRequest { Paths = ["deploy"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.Ok, result.ExitCode);
        Assert.Equal(Samples.Pod($"{registry.Host}/shop/api:1.0@{api}"), File.ReadAllText(directory.Combine("deploy", "pod.yaml")));
        Assert.Equal("resolved 1 image in deploy/pod.yaml", Assert.Single(result.Files).Note);
        Assert.Equal("1 distinct reference resolved; changed 1 image", result.Summary);
    }

    [Fact]
    public async Task Writes_nothing_when_a_registry_failed()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "api");
        await using var down = await LocalRegistry.StartAsync();
        await down.StopAsync();
        using var directory = new TempDirectory("resolve-op");
        var before = Samples.Pod($"{registry.Host}/shop/api:1.0", $"{down.Host}/shop/web:2.0");
        directory.Write("pod.yaml", before);

        using var services = Samples.In(directory);
        var result = await ResolveOperation.RunAsync(
            new ResolveRequest { Paths = ["pod.yaml"], Registry = new RegistryAccess { MaxRetryAttempts = 0 } }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.ExternalFailure, result.ExitCode);
        Assert.Empty(result.Files);
        Assert.Equal("2 distinct references resolved; changed 0 images", result.Summary);
        Assert.Equal(before, File.ReadAllText(directory.Combine("pod.yaml")));
    }

    [Fact]
    public async Task Resolves_a_block_scalar_image_in_its_block_and_warns_about_one_it_cannot_read()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var api = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "api");
        using var directory = new TempDirectory("resolve-op");
        directory.Write("pod.yaml", $"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: >-\n      {registry.Host}/shop/api:1.0\n  - name: b\n    image: [x]\n");

        using var services = Samples.In(directory);
        var result = await ResolveOperation.RunAsync(new ResolveRequest { Paths = ["pod.yaml"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.Ok, result.ExitCode);
        Assert.Contains($"    image: >-\n      {registry.Host}/shop/api:1.0@{api}\n", File.ReadAllText(directory.Combine("pod.yaml")), StringComparison.Ordinal);
        Assert.StartsWith("pod.yaml:9:12: the image is a sequence, not a string", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }
}
