using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary><c>TagForgeTasks.Verify</c> against a real registry. Needs: docker-registry (<see cref="LocalRegistry"/>).</summary>
public sealed class VerifyTaskTests
{
    // Neither the machine's TAGFORGE_REGISTRY_* nor its docker config reach the registry client.
    private static Dictionary<string, string> NoVariables => [];

    [Fact]
    public async Task A_digest_the_registry_holds_verifies_with_one_request()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var digest = await RegistryUploads.PushAsync(registry, "team/app", "1.0", "verify");
        using var directory = new TempDirectory("verify-task");
        directory.Write("deploy/pod.yaml", Samples.Pod($"{registry.Host}/team/app@{digest}"));

        var verified = TagForgeTasks.Verify(s => s.SetWorkingDirectory(directory.Path).SetEnvironment(NoVariables).AddFiles("deploy"));

        Assert.Equal((1, 1), (verified.Pinned, verified.Requests));
    }

    [Fact]
    public async Task A_digest_the_registry_does_not_hold_throws_a_missing_finding()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await RegistryUploads.PushAsync(registry, "team/app", "1.0", "verify");
        using var directory = new TempDirectory("verify-task");
        directory.Write("deploy/pod.yaml", Samples.Pod($"{registry.Host}/team/app@sha256:{new string('0', 64)}"));

        var missing = await Assert.ThrowsAsync<FindingsException>(() =>
            TagForgeTasks.VerifyAsync(s => s.SetWorkingDirectory(directory.Path).SetEnvironment(NoVariables).AddFiles("deploy"), TestContext.Current.CancellationToken));

        Assert.Equal("missing", Assert.Single(missing.Findings).Code);
    }
}
