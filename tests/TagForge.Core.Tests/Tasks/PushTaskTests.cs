using TagForge.Errors;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary><c>TagForgeTasks.Push</c> of an image <c>TagForgeTasks.Build</c> made, to a real registry. Needs: Docker, docker-registry.</summary>
[Collection(DockerEngine.CollectionName)]
public class PushTaskTests
{
    // The tasks read TAGFORGE_*, CI and DOCKER_* variables only from this, never from the machine running the tests.
    private static readonly Dictionary<string, string> Clean = new() { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "" };

    [Fact]
    public async Task Pushes_the_local_image_built_earlier_and_records_the_digest_the_registry_holds()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/pushed";
        var built = TagForgeTasks.Build(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(Clean).SetImage(image).SetTemplate("{sha:8}"));

        var pushed = TagForgeTasks.Push(s => s
            .SetWorkingDirectory(repository.Path).SetEnvironment(Clean).SetImage(image).SetTag(built.Tag).SetRecord("tagforge.json").EnableRemoveLocal());

        using var client = new RegistryClient();
        var held = await client.HeadManifestAsync(ImageReference.Parse($"{image}:{built.Tag}"), TestContext.Current.CancellationToken);
        Assert.Equal(built.Tag, pushed.Tag);
        Assert.Equal(held?.Digest.ToString(), pushed.Digest);
        Assert.Equal($"{image}@{pushed.Digest}", BuildRecordFile.Read(Path.Combine(repository.Path, "tagforge.json")).Find(image)?.Reference);
        Assert.NotEqual(0, (await Docker.RunAsync("image", "inspect", $"{image}:{built.Tag}")).ExitCode);
    }

    [Fact]
    public void Names_the_tag_setter_when_no_tag_is_given()
    {
        using var directory = new TempDirectory("push-task");

        var error = Assert.Throws<BadInputException>(() => TagForgeTasks.Push(s => s.SetWorkingDirectory(directory.Path).SetEnvironment(Clean).SetImage("127.0.0.1:9/team/app")));

        Assert.Contains("SetTag(...)", error.Message, StringComparison.Ordinal);
    }
}
