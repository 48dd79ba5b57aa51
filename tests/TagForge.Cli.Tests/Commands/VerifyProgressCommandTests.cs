using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// End-to-end: a slow verify (a registry behind the fault proxy's delay) prints progress on stderr, never on stdout,
/// and <c>--quiet</c> turns it off. Needs: docker-registry.
/// </summary>
public sealed class VerifyProgressCommandTests
{
    private static string Pod(params string[] images) =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\nspec:\n  containers:\n" + string.Concat(images.Select((image, i) => $"  - name: c{i}\n    image: {image}\n"));

    [Fact]
    public async Task A_slow_verify_prints_registry_answers_out_of_all_on_stderr_and_quiet_turns_them_off()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(registry.Host);
        var digests = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            digests.Add(await RegistryUploads.PushAsync(registry, "shop/api", $"1.{i}", $"seed-{i}"));
        }

        proxy.Inject(Fault.Slow(TimeSpan.FromMilliseconds(1100), method: "HEAD", pathContains: "/manifests/"));
        using var directory = new TempDirectory("verify-progress");
        for (var i = 0; i < 6; i++)
        {
            directory.Write($"k8s/pod-{i}.yaml", Pod($"{proxy.Host}/shop/api:1.{i % 3}@{digests[i % 3]}"));
        }

        var shown = await TagForgeCli.RunAsync(["verify", "k8s", "--max-concurrency", "1"], directory.Path);
        var quiet = await TagForgeCli.RunAsync(["verify", "k8s", "--max-concurrency", "1", "--quiet"], directory.Path);

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal("", shown.StandardOutput);
        var progress = shown.StandardError.Split('\n').Where(line => line.StartsWith("tagforge: verify: registry answers: ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, line => Assert.Matches(@"^tagforge: verify: registry answers: \d of 3 references \(\d+%\), [0-9.]+/s", line));
        Assert.EndsWith("3 of 3 references (100%), " + progress[^1].Split(", ")[^2] + ", done", progress[^1], StringComparison.Ordinal);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("registry answers", quiet.StandardError, StringComparison.Ordinal);
        Assert.Contains("verified 6 pinned images (3 distinct digests)", quiet.StandardError, StringComparison.Ordinal);
    }
}
