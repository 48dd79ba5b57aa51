using TagForge.Errors;
using TagForge.Pinning;
using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary>The resolve task against a real registry. Needs: docker-registry (<see cref="LocalRegistry"/>).</summary>
public sealed class ResolveTaskTests
{
    [Fact]
    public async Task Resolves_to_the_registrys_digest_and_verify_then_passes()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var api = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "api");
        using var directory = new TempDirectory("resolve-task");
        directory.Write("pod.yaml", Samples.Pod($"{registry.Host}/shop/api:1.0"));
        var logger = new ListLogger();

        var result = TagForgeTasks.Resolve(s => s
            .SetWorkingDirectory(directory.Path).SetEnvironment(NoVariables).AddFiles("pod.yaml").SetStyle(PinStyle.Digest).SetLogger(logger));
        var verified = TagForgeTasks.Verify(s => s.SetWorkingDirectory(directory.Path).SetEnvironment(NoVariables).AddFiles("pod.yaml").SetMaxConcurrency(2));

        Assert.Equal(1, result.Requests);
        Assert.Equal(Samples.Pod($"{registry.Host}/shop/api@{api}"), File.ReadAllText(directory.Combine("pod.yaml")));
        Assert.Contains("Information: resolved 1 image in pod.yaml", logger.Messages);
        Assert.Equal((1, 1), (verified.Pinned, verified.Requests));
    }

    [Fact]
    public async Task A_tag_the_registry_does_not_hold_throws_findings()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var directory = new TempDirectory("resolve-task");
        directory.Write("pod.yaml", Samples.Pod($"{registry.Host}/shop/api:9.9"));

        var error = await Assert.ThrowsAsync<FindingsException>(() => TagForgeTasks.ResolveAsync(
            s => s.SetWorkingDirectory(directory.Path).SetEnvironment(NoVariables).AddFiles("pod.yaml"), TestContext.Current.CancellationToken));

        Assert.Equal("not-found", Assert.Single(error.Findings).Code);
        Assert.IsType<PolicyRefusalException>(error, exactMatch: false);
    }

    // Neither the machine's TAGFORGE_REGISTRY_* nor its docker config reach the registry client.
    private static Dictionary<string, string> NoVariables => [];
}
