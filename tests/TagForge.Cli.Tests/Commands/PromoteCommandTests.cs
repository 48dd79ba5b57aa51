using System.Text.Json;
using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Cli.Tests.Commands;

/// <summary>End-to-end: tagforge promote between two real registries (<see cref="LocalRegistry"/>). Needs: docker-registry.</summary>
public sealed class PromoteCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ImageReference Ref(string host, string path) => ImageReference.Parse($"{host}/{path}");

    [Fact]
    public async Task Promote_across_registries_prints_what_was_copied_as_json_and_records_the_promotion()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var (index, _, _) = await RegistryImages.PushIndexAsync(client, Ref(from.Host, "team/app:v1"), cancellationToken: Token);
        using var directory = new TempDirectory("promote-cli");

        var result = await TagForgeCli.RunAsync(
            ["promote", $"{from.Host}/team/app:v1", $"{to.Host}/prod/app:1.0", "--record", "tagforge.json", "--format", "json", "--dotenv", "promote.env"], directory.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(index.ToString(), json.RootElement.GetProperty("digest").GetString());
        Assert.Equal("copy", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("copied").GetArrayLength());
        Assert.Equal(0, json.RootElement.GetProperty("mounted").GetArrayLength());
        Assert.Equal(3, json.RootElement.GetProperty("manifests").GetArrayLength());
        Assert.Contains("tagforge: copied blob sha256:", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(index, (await client.HeadManifestAsync(Ref(to.Host, "prod/app:1.0"), Token))?.Digest);
        Assert.Contains($"\"digest\": \"{index}\"", File.ReadAllText(directory.Combine("tagforge.json")), StringComparison.Ordinal);
        Assert.Contains($"IMAGE_REF={to.Host}/prod/app@{index}", File.ReadAllText(directory.Combine("promote.env")), StringComparison.Ordinal);

        // A rerun is the same digest already there: success, nothing copied.
        var again = await TagForgeCli.RunAsync(["promote", $"{from.Host}/team/app:v1", $"{to.Host}/prod/app:1.0"], directory.Path);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal($"{to.Host}/prod/app:1.0@{index}\n", again.StandardOutput);
        Assert.Contains("already holds", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_copy_prints_progress_lines_on_stderr_and_only_the_result_on_stdout_and_quiet_turns_them_off()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(to.Host);
        proxy.Inject(Fault.Slow(TimeSpan.FromMilliseconds(900), method: "PUT", pathContains: "/blobs/uploads/"));
        using var client = new RegistryClient();
        var image = await RegistryImages.PushImageAsync(client, Ref(from.Host, "team/app:v1"), layers: 4, layerSize: 64 * 1024, cancellationToken: Token);
        using var directory = new TempDirectory("promote-cli");

        var shown = await TagForgeCli.RunAsync(["promote", $"{from.Host}/team/app:v1", $"{proxy.Host}/prod/app:v1", "--max-concurrency", "1"], directory.Path);
        var quiet = await TagForgeCli.RunAsync(["promote", $"{from.Host}/team/app:v1", $"{proxy.Host}/quiet/app:v1", "--max-concurrency", "1", "--quiet"], directory.Path);

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal($"{proxy.Host}/prod/app:v1@{image.Digest}\n", shown.StandardOutput);
        var progress = shown.StandardError.Split('\n').Where(line => line.StartsWith($"tagforge: copying to {proxy.Host}/prod/app: ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, line => Assert.Matches(@" of [0-9.]+ KiB \(\d+%\), \d of 5 blobs, [0-9.]+ (B|KiB|MiB)/s", line));
        Assert.EndsWith("(100%), 5 of 5 blobs, " + progress[^1].Split(", ")[^2] + ", done", progress[^1], StringComparison.Ordinal);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("copying to", quiet.StandardError, StringComparison.Ordinal);
        Assert.Contains("tagforge: copied blob sha256:", quiet.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_destination_signature_tag_holding_another_digest_is_left_with_a_warning_and_exit_0_unless_replace_signatures()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        var image = await RegistryImages.PushImageAsync(client, Ref(from.Host, "team/app:v1"), cancellationToken: Token);
        var source = await ArtifactImages.PushTagAsync(client, Ref(from.Host, "team/app"), image.Digest, ".sig", cancellationToken: Token);
        var own = await ArtifactImages.PushTagAsync(client, Ref(to.Host, "prod/app"), image.Digest, ".sig", note: "destination", cancellationToken: Token);
        var signatureTag = $"sha256-{image.Digest.Hex}.sig";
        using var directory = new TempDirectory("promote-cli");

        var kept = await TagForgeCli.RunAsync(["promote", $"{from.Host}/team/app:v1", $"{to.Host}/prod/app:v1"], directory.Path);
        var keptDigest = (await client.HeadManifestAsync(Ref(to.Host, $"prod/app:{signatureTag}"), Token))?.Digest;
        var replaced = await TagForgeCli.RunAsync(["promote", $"{from.Host}/team/app:v1", $"{to.Host}/prod/app:v1", "--replace-signatures"], directory.Path);

        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains($"tagforge: warning: {to.Host}/prod/app:{signatureTag} holds {own}, not the source's {source}: left as it is (--replace-signatures replaces it)\n", kept.StandardError, StringComparison.Ordinal);
        Assert.Equal(own, keptDigest);
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Equal(source, (await client.HeadManifestAsync(Ref(to.Host, $"prod/app:{signatureTag}"), Token))?.Digest);
    }

    [Fact]
    public async Task Promote_onto_a_tag_holding_another_image_is_exit_3_in_one_line()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        await RegistryImages.PushImageAsync(client, Ref(registry.Host, "team/app:v2"), cancellationToken: Token);
        var old = await RegistryImages.PushImageAsync(client, Ref(registry.Host, "team/app:prod"), cancellationToken: Token);
        using var directory = new TempDirectory("promote-cli");

        var result = await TagForgeCli.RunAsync(["promote", $"{registry.Host}/team/app:v2", "prod"], directory.Path);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"tagforge: error: {registry.Host}/team/app:prod already exists in {registry.Host} with digest {old.Digest}", line, StringComparison.Ordinal);
        Assert.Equal(old.Digest, (await client.HeadManifestAsync(Ref(registry.Host, "team/app:prod"), Token))?.Digest);
    }

    [Fact]
    public async Task Promote_of_a_missing_source_is_exit_3_and_an_unreachable_destination_exit_1_with_nothing_recorded()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var down = await LocalRegistry.StartAsync();
        using var client = new RegistryClient();
        await RegistryImages.PushImageAsync(client, Ref(registry.Host, "team/app:v1"), cancellationToken: Token);
        await down.StopAsync();
        using var directory = new TempDirectory("promote-cli");
        var environment = new Dictionary<string, string?> { ["TAGFORGE_REGISTRY_CONCURRENCY"] = "2" };

        var missing = await TagForgeCli.RunAsync(["promote", $"{registry.Host}/team/app:nope", "prod"], directory.Path, environment);
        var unreachable = await TagForgeCli.RunAsync(["promote", $"{registry.Host}/team/app:v1", $"{down.Host}/prod/app", "--record", "tagforge.json"], directory.Path, environment);

        Assert.Equal(3, missing.ExitCode);
        Assert.Equal($"tagforge: error: {registry.Host}/team/app:nope does not exist in {registry.Host} (deleted, never pushed, or a typo); nothing to promote\n", missing.StandardError);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains($"cannot reach registry {down.Host}", unreachable.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.Combine("tagforge.json")));
    }

    [Theory]
    [InlineData(new[] { "promote", "only-one" }, "give SOURCE and DESTINATION")]
    [InlineData(new[] { "promote", "a:1", "b:2", "--image", "api" }, "with --image, give only DESTINATION")]
    [InlineData(new[] { "promote", "127.0.0.1:9/a:1", "prod", "--backup-tag", "old" }, "--backup-tag only applies with --allow-overwrite")]
    [InlineData(new[] { "promote", "127.0.0.1:9/a:1", "127.0.0.1:9/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }, "names a digest")]
    public async Task Bad_arguments_are_exit_2(string[] arguments, string message)
    {
        var result = await TagForgeCli.RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }
}
