using System.Diagnostics;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Reliability;

/// <summary>
/// <c>tagforge pin</c> killed with SIGKILL at random moments while it rewrites a large file: afterwards the file is
/// always one whole version (the original, or pinned to one record, or to the other), never a torn mix, and
/// nothing but TagForge's own temporary files is left beside it.
/// </summary>
public sealed class KillLoopTests
{
    private static string Record(char digit) => $$"""
        {"schemaVersion": 1, "images": [{"repository": "registry.example.com/team/api", "tag": "v{{digit}}", "digest": "sha256:{{new string(digit, 64)}}",
          "reference": "registry.example.com/team/api@sha256:{{new string(digit, 64)}}", "imageId": null, "tags": ["v{{digit}}"], "platform": null,
          "git": {"commit": "abcdef1234567890abcdef1234567890abcdef12", "branch": "main", "dirty": false},
          "build": {"provider": "local", "number": "7", "url": null}, "createdAt": "2026-11-22T18:40:00+00:00"}]}
        """;

    [Fact]
    public async Task A_killed_pin_never_leaves_a_torn_file()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "SIGKILL via Process.Kill on Linux");
        using var directory = new TempDirectory("kill");
        var containers = string.Concat(Enumerable.Range(0, 8_000).Select(i => $"  - name: c{i}\n    image: registry.example.com/team/api:1.0\n"));
        var original = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n" + containers;
        var file = directory.Write("pod.yaml", original);
        directory.Write("a.json", Record('a'));
        directory.Write("b.json", Record('b'));

        Assert.Equal(0, (await TagForgeCli.RunAsync(["pin", "pod.yaml", "--record", "a.json"], directory.Path)).ExitCode);
        var pinnedA = File.ReadAllText(file);
        Assert.Equal(0, (await TagForgeCli.RunAsync(["pin", "pod.yaml", "--record", "b.json"], directory.Path)).ExitCode);
        var pinnedB = File.ReadAllText(file);
        Assert.NotEqual(pinnedA, pinnedB);
        string[] whole = [original, pinnedA, pinnedB];

        var random = new Random(14);
        var killed = 0;
        for (var round = 0; round < 30; round++)
        {
            var start = new ProcessStartInfo(TagForgeCli.ExecutablePath) { WorkingDirectory = directory.Path, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "pin", "pod.yaml", "--record", round % 2 == 0 ? "a.json" : "b.json" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            await Task.Delay(random.Next(0, 120), TestContext.Current.CancellationToken);
            if (!process.HasExited)
            {
                process.Kill();
                killed++;
            }

            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            var now = File.ReadAllText(file);
            Assert.True(whole.Contains(now), $"round {round}: a torn file of {now.Length} characters");
        }

        Assert.True(killed > 0, "no run was killed: the loop proved nothing");
        var others = Directory.GetFiles(directory.Path).Select(Path.GetFileName).Where(name => name is not ("pod.yaml" or "a.json" or "b.json"));
        Assert.All(others, name => Assert.Matches(@"^\.pod\.yaml\.[0-9a-f]{32}\.tmp$", name));
    }
}
