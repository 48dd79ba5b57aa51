using TagForge.Errors;
using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>Prune against a real registry (<see cref="LocalRegistry"/>, deletes enabled, and one without). Needs: docker-registry.</summary>
public sealed class PruneOperationTests
{
    private static readonly Services.RegistryAccess NoRetries = new() { MaxRetryAttempts = 0 };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ImageReference Ref(string host, string path) => ImageReference.Parse($"{host}/{path}");

    private static RegistryClient NewClient() => new(new RegistryClientOptions { MaxRetryAttempts = 0 });

    /// <summary>
    /// Six images in shop/api: one pinned by an ECS task definition, one by a Kubernetes manifest, one recorded (an index
    /// whose children and .sig tag must stay), one signed but unreferenced, and two nobody keeps.
    /// </summary>
    private sealed record Fixture(Digest Ecs, Digest K8s, Digest Recorded, RegistryImages.Pushed Amd, Digest RecordedSignature, Digest Orphan1, Digest Orphan2, Digest OrphanSignature);

    private static async Task<Fixture> ArrangeAsync(LocalRegistry registry, RegistryClient client, TempDirectory directory)
    {
        var repo = Ref(registry.Host, "shop/api");
        var ecs = await RegistryImages.PushImageAsync(client, repo.With("1.0", null), cancellationToken: Token);
        var k8s = await RegistryImages.PushImageAsync(client, repo.With("1.1", null), cancellationToken: Token);
        var (index, amd, _) = await RegistryImages.PushIndexAsync(client, repo.With("1.2", null), cancellationToken: Token);
        var recordedSignature = await RegistryImages.PushSignatureTagAsync(client, repo, index, Token);
        var orphan1 = await RegistryImages.PushImageAsync(client, repo.With("0.8", null), cancellationToken: Token);
        var orphan2 = await RegistryImages.PushImageAsync(client, repo.With("0.9", null), cancellationToken: Token);
        var orphanSignature = await RegistryImages.PushSignatureTagAsync(client, repo, orphan2.Digest, Token);
        directory.Write("deploy/task.json", $"{{\"family\": \"api\", \"containerDefinitions\": [{{\"name\": \"api\", \"image\": \"{registry.Host}/shop/api:1.0@{ecs.Digest}\"}}]}}\n");
        directory.Write("deploy/k8s.yaml", Samples.Pod($"{registry.Host}/shop/api@{k8s.Digest}", "nginx:1.25"));
        directory.Write("tagforge.json", Samples.RecordJson($"{registry.Host}/shop/api", index.ToString()));
        return new Fixture(ecs.Digest, k8s.Digest, index, amd, recordedSignature, orphan1.Digest, orphan2.Digest, orphanSignature);
    }

    [Fact]
    public async Task A_plan_keeps_what_an_ecs_task_definition_a_kubernetes_manifest_and_a_record_reference_and_deletes_nothing()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var f = await ArrangeAsync(registry, client, directory);
        using var services = Samples.In(directory);

        var result = await PruneOperation.RunAsync(
            new PruneRequest { Repository = $"{registry.Host}/shop/api", KeepRecords = ["tagforge.json"], KeepPinned = ["deploy"], Registry = NoRetries }, services, Token);

        var byTag = result.Entries.ToDictionary(entry => entry.Tag);
        Assert.Equal(["pinned in deploy/task.json:1"], byTag["1.0"].Reasons);
        Assert.Equal(["pinned in deploy/k8s.yaml:8"], byTag["1.1"].Reasons);
        Assert.Equal(["record tagforge.json"], byTag["1.2"].Reasons);
        Assert.True(byTag[$"sha256-{f.Recorded.Hex}.sig"].Keep);
        Assert.False(byTag["0.8"].Keep);
        Assert.False(byTag["0.9"].Keep);
        Assert.False(byTag[$"sha256-{f.Orphan2.Hex}.sig"].Keep);
        Assert.Equal(new[] { f.Orphan1, f.Orphan2, f.OrphanSignature }.Select(d => d.ToString()).Order(), result.Deletable.Select(d => d.ToString()).Order());
        Assert.Empty(result.Deleted);
        Assert.Equal(7, (await client.ListTagsAsync(Ref(registry.Host, "shop/api"), Token)).Count);
        Assert.NotNull(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{f.Orphan1}"), Token));
    }

    [Fact]
    public async Task Apply_deletes_only_what_nothing_keeps_and_the_index_children_and_signature_of_a_kept_index_survive()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var f = await ArrangeAsync(registry, client, directory);
        using var services = Samples.In(directory);

        var result = await PruneOperation.RunAsync(
            new PruneRequest { Repository = $"{registry.Host}/shop/api", KeepRecords = ["tagforge.json"], KeepPinned = ["deploy/task.json", "deploy/k8s.yaml"], Apply = true, Registry = NoRetries }, services, Token);

        Assert.True(result.Applied);
        Assert.Equal(3, result.Deleted.Count);
        foreach (var gone in new[] { f.Orphan1, f.Orphan2, f.OrphanSignature })
        {
            Assert.Null(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{gone}"), Token));
        }

        foreach (var kept in new[] { f.Ecs, f.K8s, f.Recorded, f.Amd.Digest, f.RecordedSignature })
        {
            Assert.NotNull(await client.HeadManifestAsync(Ref(registry.Host, $"shop/api@{kept}"), Token));
        }

        Assert.Equal(["1.0", "1.1", "1.2", $"sha256-{f.Recorded.Hex}.sig"], (await client.ListTagsAsync(Ref(registry.Host, "shop/api"), Token)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Keep_last_and_keep_newer_than_go_by_the_images_created_time()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = NewClient();
        var repo = Ref(registry.Host, "shop/api");
        var now = DateTimeOffset.UtcNow;
        var old = await RegistryImages.PushImageAsync(client, repo.With("a", null), created: now.AddDays(-90), cancellationToken: Token);
        var middle = await RegistryImages.PushImageAsync(client, repo.With("b", null), created: now.AddDays(-40), cancellationToken: Token);
        var recent = await RegistryImages.PushImageAsync(client, repo.With("c", null), created: now.AddDays(-2), cancellationToken: Token);
        using var directory = new TempDirectory("prune");
        using var services = Samples.In(directory);

        var last = await PruneOperation.RunAsync(new PruneRequest { Repository = repo.Name, KeepLast = 2, Registry = NoRetries }, services, Token);
        var newer = await PruneOperation.RunAsync(new PruneRequest { Repository = repo.Name, KeepNewerThan = PruneRequest.ParseAge("30d"), Registry = NoRetries }, services, Token);

        Assert.Equal([old.Digest], last.Deletable);
        Assert.Equal(["c", "b", "a"], last.Entries.Select(entry => entry.Tag));
        Assert.Equal(["newest 2 (#1)"], last.Entries[0].Reasons);
        Assert.Equal([middle.Digest, old.Digest], newer.Deletable);
        Assert.Equal(["newer than 30d"], newer.Entries.Single(entry => entry.Digest == recent.Digest).Reasons);
    }

    [Fact]
    public async Task Check_exits_3_naming_a_pinned_digest_that_is_already_gone()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = NewClient();
        var repo = Ref(registry.Host, "shop/api");
        var kept = await RegistryImages.PushImageAsync(client, repo.With("1.0", null), cancellationToken: Token);
        var gone = Digest.Sha256Of("deleted by a lifecycle rule"u8);
        using var directory = new TempDirectory("prune");
        directory.Write("task.json", $"{{\"containerDefinitions\": [{{\"name\": \"a\", \"image\": \"{registry.Host}/shop/api@{kept.Digest}\"}}, {{\"name\": \"b\", \"image\": \"{registry.Host}/shop/api@{gone}\"}}]}}");
        using var services = Samples.In(directory);

        var result = await PruneOperation.RunAsync(new PruneRequest { Repository = repo.Name, KeepPinned = ["task.json"], Check = true, Registry = NoRetries }, services, Token);

        Assert.Equal(ExitCode.PolicyRefusal, result.ExitCode);
        var missing = Assert.Single(result.Missing);
        Assert.Equal((gone, "pinned in task.json:1"), (missing.Digest, Assert.Single(missing.Reasons)));
    }

    [Fact]
    public async Task A_registry_without_delete_support_is_exit_1_saying_nothing_was_deleted()
    {
        await using var registry = await LocalRegistry.StartWithoutDeleteAsync();
        using var client = NewClient();
        var repo = Ref(registry.Host, "shop/api");
        await RegistryImages.PushImageAsync(client, repo.With("0.9", null), cancellationToken: Token);
        using var directory = new TempDirectory("prune");
        using var services = Samples.In(directory);

        var error = await Assert.ThrowsAsync<ExternalFailureException>(() =>
            PruneOperation.RunAsync(new PruneRequest { Repository = repo.Name, KeepNothing = true, Apply = true, Registry = NoRetries }, services, Token));

        Assert.StartsWith($"nothing was deleted from {registry.Host}/shop/api: registry {registry.Host} does not allow deleting manifests (HTTP 405)", error.Message, StringComparison.Ordinal);
        Assert.Single(await client.ListTagsAsync(repo, Token));
    }

    [Fact]
    public async Task No_keep_set_and_an_unreadable_pinned_file_are_refused_before_any_registry_request()
    {
        using var directory = new TempDirectory("prune");
        directory.Write("broken.yaml", "spec:\n  containers:\n  - image: [unclosed\n");
        using var services = Samples.In(directory);

        var none = await Assert.ThrowsAsync<BadInputException>(() => PruneOperation.RunAsync(new PruneRequest { Repository = "127.0.0.1:9/shop/api", Apply = true }, services, Token));
        var broken = await Assert.ThrowsAsync<BadInputException>(() => PruneOperation.RunAsync(new PruneRequest { Repository = "127.0.0.1:9/shop/api", KeepPinned = ["broken.yaml"], Apply = true }, services, Token));

        Assert.Contains("has no keep set", none.Message, StringComparison.Ordinal);
        Assert.Contains("--keep-nothing-i-am-sure", none.Message, StringComparison.Ordinal);
        Assert.StartsWith("prune refuses: the keep set cannot be read (broken.yaml", broken.Message, StringComparison.Ordinal);
        Assert.EndsWith("an unreadable keep set is not an empty one", broken.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pod.yaml", "spec:\n  containers:\n  - name: a\n    image: |\n      127.0.0.1:9/shop/api\n      @sha256:1111111111111111111111111111111111111111111111111111111111111111\n")]
    [InlineData("task.json", "{\"containerDefinitions\": [{\"image\": \"a\"}], \"containerDefinitions\": [{\"image\": \"127.0.0.1:9/shop/api@sha256:1111111111111111111111111111111111111111111111111111111111111111\"}]}")]
    public async Task A_pinned_file_with_an_image_tagforge_cannot_read_refuses_the_prune(string name, string content)
    {
        using var directory = new TempDirectory("prune");
        directory.Write(name, content);
        using var services = Samples.In(directory);

        var error = await Assert.ThrowsAsync<BadInputException>(() => PruneOperation.RunAsync(new PruneRequest { Repository = "127.0.0.1:9/shop/api", KeepPinned = [name], Apply = true }, services, Token));

        Assert.StartsWith($"prune refuses: the keep set cannot be read ({name}:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("2w", 14 * 24 * 60)]
    [InlineData("90m", 90)]
    public void Ages_parse(string text, int minutes) => Assert.Equal(TimeSpan.FromMinutes(minutes), PruneRequest.ParseAge(text));

    [Fact]
    public void An_age_without_a_unit_is_bad_input() => Assert.Throws<BadInputException>(() => PruneRequest.ParseAge("30"));
}
