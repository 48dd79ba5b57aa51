using TagForge.Testing;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// The built tagforge pinning one directory from many processes at once, checking files against a record that
/// holds none of their images, and refusing a record with a key written twice. Needs Linux (the tree lock).
/// </summary>
public sealed class PinAtScaleCommandTests
{
    private const string Repository = "registry.example.com/team/api";

    private static string Digest(char digit) => "sha256:" + new string(digit, 64);

    private static string Record(char digit, string repository = Repository) =>
        $"{{\"schemaVersion\": 1, \"images\": [{Samples.RecordEntryJson(repository, Digest(digit), $"v{digit}")}]}}\n";

    [Fact]
    public async Task Eight_concurrent_pins_of_one_directory_all_succeed_and_leave_it_pinned_by_one_of_them_whole()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "flock-based tree lock on Linux");
        using var directory = new TempDirectory("pin8");
        var files = Enumerable.Range(0, 200)
            .Select(i => directory.Write(Path.Combine("k8s", i % 4 == 0 ? "db" : "app", $"pod-{i}.yaml"), Samples.Pod($"{Repository}:1.0", "docker.io/library/redis:7")))
            .ToList();
        var records = "abcdef01".Select(digit => directory.Write($"{digit}.json", Record(digit))).ToList();

        // Half of them pin the tree, half a subtree of it: nested runs must wait for each other too.
        var runs = await Task.WhenAll(records.Select((record, i) =>
            TagForgeCli.RunAsync(["pin", i % 2 == 0 ? "k8s" : "k8s/app", "--record", record], directory.Path)));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        Assert.All(runs, run => Assert.DoesNotContain("error", run.StandardError, StringComparison.Ordinal));
        var pinnedTo = files.Select(File.ReadAllText).Select(text => "abcdef01".Single(digit => text.Contains(Digest(digit), StringComparison.Ordinal))).ToList();
        Assert.All(files, file => Assert.Contains("docker.io/library/redis:7\n", File.ReadAllText(file), StringComparison.Ordinal));

        // Each run rewrote its tree whole while the others waited: the app files all carry the digest of one run
        // (the last to write them), never a mix.
        Assert.Single(pinnedTo.Where((_, i) => i % 4 != 0).Distinct());
        Assert.Single(pinnedTo.Where((_, i) => i % 4 == 0).Distinct());
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Check_fails_with_one_line_per_file_whose_images_the_record_holds_none_of()
    {
        using var directory = new TempDirectory("pincheck");
        directory.Write("tagforge.json", Record('a', "registry.example.com/team/other"));
        directory.Write("k8s/api.yaml", Samples.Pod($"{Repository}:1.0"));
        directory.Write("k8s/worker.yaml", Samples.Pod($"{Repository}:1.0", "docker.io/library/redis:7"));
        directory.Write("k8s/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n");

        var result = await TagForgeCli.RunAsync(["pin", "--check", "k8s"], directory.Path);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(
            [
                "k8s/api.yaml:8:12: error: none of this file's images is in the record tagforge.json, so it is not pinned to it; check the repository names, or check the file against its own record",
                "k8s/worker.yaml:8:12: error: none of this file's images is in the record tagforge.json, so it is not pinned to it; check the repository names, or check the file against its own record",
            ],
            result.StandardOutput.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_record_with_a_key_written_twice_is_refused_with_exit_2_in_one_line()
    {
        using var directory = new TempDirectory("pindup");
        var pod = directory.Write("pod.yaml", Samples.Pod($"{Repository}:1.0"));
        directory.Write("tagforge.json", Record('a').Replace("{\"schemaVersion\": 1,", "{\"schemaVersion\": 99, \"schemaVersion\": 1,", StringComparison.Ordinal));

        var result = await TagForgeCli.RunAsync(["pin", "pod.yaml"], directory.Path);
        var check = await TagForgeCli.RunAsync(["pin", "--check", "pod.yaml"], directory.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "tagforge: error: the build record tagforge.json has the key \"schemaVersion\" twice in one object; readers disagree on which one counts, so keep one\n",
            result.StandardError);
        Assert.Equal((2, result.StandardError), (check.ExitCode, check.StandardError));
        Assert.Equal(Samples.Pod($"{Repository}:1.0"), File.ReadAllText(pod));
    }

    [Fact]
    public async Task A_pin_by_an_ordinary_user_keeps_its_own_files_as_they_were_takes_over_what_it_may_write_and_refuses_the_rest()
    {
        // Run as nobody: the one-system-call-a-step write is taken for the user's own files only; another user's
        // file goes the general way (the kernel is asked whether it may be written).
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "root, to run tagforge as nobody through setpriv");
        using var directory = new TempDirectory("pinuser");
        var pod = Samples.Pod($"{Repository}:1.0");
        var own = directory.Write("k8s/own.yaml", pod);
        var secret = directory.Write("k8s/secret.yaml", pod);
        var shared = directory.Write("k8s/shared.yaml", pod);
        var roots = directory.Write("k8s/roots.yaml", pod);
        var record = directory.Write("tagforge.json", Record('a'));
        await Run("chown", "-R", "65534:65534", directory.Combine("k8s"));
        await Run("chown", "0:0", shared, roots);
        await Run("chmod", "640", own);
        await Run("chmod", "600", secret);
        await Run("chmod", "666", shared);
        await Run("chmod", "644", roots);

        var result = await ProcessRunner.RunAsync(
            "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", TagForgeCli.ExecutablePath, "pin", "k8s", "--record", record],
            directory.Path, new Dictionary<string, string?> { ["HOME"] = directory.Path }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(["tagforge: error: cannot write k8s/roots.yaml: it is read-only; make it writable first"], result.StandardError.Split('\n').Where(line => line.Contains("error", StringComparison.Ordinal)));
        Assert.Equal(
            ["640 65534 65534", "600 65534 65534", "666 65534 65534", "644 0 0"],
            [await Stat(own), await Stat(secret), await Stat(shared), await Stat(roots)]);
        Assert.All([own, secret, shared], file => Assert.Contains(Digest('a'), File.ReadAllText(file), StringComparison.Ordinal));
        Assert.Equal(pod, File.ReadAllText(roots));
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp", SearchOption.AllDirectories));
    }

    private static async Task<string> Stat(string path) => (await Run("stat", "-c", "%a %u %g", path)).Trim();

    private static async Task<string> Run(string command, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(command, arguments, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }
}
