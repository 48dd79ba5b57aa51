using TagForge.Testing;

namespace TagForge.Cli.Tests.Harness;

/// <summary>
/// Proves the test machine has what later tests stand on. Needs: the Docker engine (dockerd) and the
/// docker-registry binary, both installed and started by scripts/test.sh.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class RegistryHarnessTests
{
    [Fact]
    public async Task Pushes_a_scratch_image_to_a_real_local_registry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var directory = new TempDirectory();
        var context = Docker.WriteScratchContext(directory);
        var image = $"{registry.Host}/harness/scratch:{Guid.NewGuid():N}";

        await Docker.RunCheckedAsync("build", "--quiet", "--no-cache", "--tag", image, context);
        await Docker.RunCheckedAsync("push", image);

        using var http = new HttpClient();
        var tags = await http.GetStringAsync(new Uri(registry.BaseUri, "v2/harness/scratch/tags/list"), TestContext.Current.CancellationToken);
        Assert.Contains(image[(image.LastIndexOf(':') + 1)..], tags, StringComparison.Ordinal);
        await Docker.RunAsync("rmi", image);
    }

    [Fact]
    public async Task Starts_a_registry_that_requires_basic_auth()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("ci", "s3cret");
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(registry.BaseUri, "v2/"), TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
