using TagForge.Containers;
using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// The guard asks a real registry (docker-registry) what a tag holds and compares it with a local image the real Docker
/// engine built: by docker's repository digest, else by the config digest (the image id). Needs: Docker, docker-registry.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class OverwriteGuardTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Builds a unique <c>FROM scratch</c> image as <paramref name="image"/> and returns its id.</summary>
    private static async Task<string> BuildAsync(string image)
    {
        using var directory = new TempDirectory("guard");
        await Docker.RunCheckedAsync("build", "--quiet", "--no-cache", "--tag", image, Docker.WriteScratchContext(directory));
        return (await Docker.RunCheckedAsync("image", "inspect", "--format", "{{.Id}}", image)).StandardOutput.Trim();
    }

    private static Task<GuardResult> CheckAsync(RegistryClient client, string image, string imageId) =>
        OverwriteGuard.CheckAsync(client, new DockerBuilder(new DockerCli()), ImageReference.Parse(image), image, imageId, Token);

    [Fact]
    public async Task A_tag_the_registry_does_not_hold_is_absent()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await ScratchImages.PushAsync(registry.Host, "team/guard", "other");
        var image = $"{registry.Host}/team/guard:v1";
        var id = await BuildAsync(image);
        using var client = new RegistryClient();

        var result = await CheckAsync(client, image, id);

        await Docker.RunAsync("rmi", image);
        Assert.Equal(new GuardResult(GuardOutcome.Absent, null, ""), result);
    }

    [Fact]
    public async Task The_image_docker_pushed_there_is_the_same_image_by_its_repository_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var image = $"{registry.Host}/team/guard:v1";
        var id = await BuildAsync(image);
        await Docker.RunCheckedAsync("push", "--quiet", image);
        using var client = new RegistryClient();
        var held = await client.HeadManifestAsync(ImageReference.Parse(image), Token);

        var result = await CheckAsync(client, image, id);

        await Docker.RunAsync("rmi", image);
        Assert.Equal(GuardOutcome.SameImage, result.Kind);
        Assert.Equal(held?.Digest, result.RemoteDigest);
    }

    [Fact]
    public async Task Without_a_repository_digest_the_same_image_is_recognised_by_its_config_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var image = $"{registry.Host}/team/guard:v1";
        var id = await BuildAsync(image);
        await Docker.RunCheckedAsync("push", "--quiet", image);
        // Forget the push locally (as on another machine that rebuilt the image from cache): the tag stays, its repository digest goes.
        var repoDigest = (await Docker.RunCheckedAsync("image", "inspect", "--format", "{{index .RepoDigests 0}}", image)).StandardOutput.Trim();
        await Docker.RunCheckedAsync("rmi", repoDigest);
        using var client = new RegistryClient();

        var local = await new DockerCli().GetDigestsInAsync(image, ImageReference.Parse(image), Token);
        var result = await CheckAsync(client, image, id);

        await Docker.RunAsync("rmi", image);
        Assert.Empty(local);
        Assert.Equal(GuardOutcome.SameImage, result.Kind);
        Assert.Equal(repoDigest[(repoDigest.IndexOf('@', StringComparison.Ordinal) + 1)..], result.RemoteDigest?.ToString());
    }

    [Fact]
    public async Task Another_image_under_the_tag_is_different_and_says_the_local_one_was_not_pushed()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var taken = await ScratchImages.PushAsync(registry.Host, "team/guard", "v1");
        var image = $"{registry.Host}/team/guard:v1";
        var id = await BuildAsync(image);
        using var client = new RegistryClient();

        var result = await CheckAsync(client, image, id);

        await Docker.RunAsync("rmi", image);
        Assert.Equal(GuardOutcome.Different, result.Kind);
        Assert.Equal(taken, result.RemoteDigest?.ToString());
        Assert.Equal($"image {id}, not pushed yet", result.LocalDescription);
    }
}
