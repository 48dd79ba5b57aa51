using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// Prune checks again right before deleting: races made deterministic by holding prune's first request after its plan
/// (the second tag list) in a <see cref="FaultProxy"/> while the test changes the registry behind it. The registry's
/// answers afterwards decide. Needs: docker-registry.
/// </summary>
public sealed class PruneRaceTests
{
    private static readonly Services.RegistryAccess NoRetries = new() { MaxRetryAttempts = 0 };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RegistryClient NewClient() => new(new RegistryClientOptions { MaxRetryAttempts = 0 });

    /// <summary>Plans through the proxy, holds the apply's first request, runs <paramref name="meanwhile"/> against the registry itself, then lets prune go on.</summary>
    private static async Task<PruneResult> PruneWhileAsync(FaultProxy proxy, TempDirectory directory, Func<Task> meanwhile)
    {
        var release = new TaskCompletionSource();
        var hold = Fault.Hold(release.Task, method: "GET", pathContains: "/tags/list", skip: 1, times: 1);
        proxy.Inject(hold);
        using var services = Samples.In(directory);
        var prune = PruneOperation.RunAsync(new PruneRequest { Repository = $"{proxy.Host}/shop/api", KeepPinned = ["deploy.yaml"], Apply = true, Registry = NoRetries }, services, Token);
        await Task.WhenAny(hold.Reached, prune);
        Assert.True(hold.Reached.IsCompleted, "prune never reached its re-check");
        await meanwhile();
        release.SetResult();
        return await prune;
    }

    private static async Task MoveTagAsync(RegistryClient client, ImageReference repo, string tag, Digest onto)
    {
        var manifest = (await client.GetManifestAsync(repo.With(null, onto), Token))!;
        await client.PutManifestAsync(repo.With(tag, null), manifest.MediaType, manifest.Body, Token);
    }

    [Fact]
    public async Task A_kept_tag_moved_onto_a_planned_deletion_between_plan_and_delete_spares_it()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(registry.Host);
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        await RegistryImages.PushImageAsync(client, repo.With("prod", null), cancellationToken: Token);
        var rollback = await RegistryImages.PushImageAsync(client, repo.With("0.9", null), cancellationToken: Token);
        var other = await RegistryImages.PushImageAsync(client, repo.With("0.8", null), cancellationToken: Token);
        directory.Write("deploy.yaml", Samples.Pod($"{proxy.Host}/shop/api:prod"));

        // A rollback: prod goes back to 0.9, which the plan had found deletable.
        var result = await PruneWhileAsync(proxy, directory, () => MoveTagAsync(client, repo, "prod", rollback.Digest));

        Assert.Contains(rollback.Digest, result.Deletable);
        Assert.Equal([rollback.Digest], result.Spared);
        Assert.NotNull(await client.HeadManifestAsync(repo.With(null, rollback.Digest), Token));
        Assert.Equal(rollback.Digest, (await client.HeadManifestAsync(repo.With("prod", null), Token))?.Digest);
        Assert.Null(await client.HeadManifestAsync(repo.With(null, other.Digest), Token));
    }

    [Fact]
    public async Task A_tag_that_appeared_on_a_planned_deletion_spares_it()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(registry.Host);
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        await RegistryImages.PushImageAsync(client, repo.With("prod", null), cancellationToken: Token);
        var old = await RegistryImages.PushImageAsync(client, repo.With("0.9", null), cancellationToken: Token);
        directory.Write("deploy.yaml", Samples.Pod($"{proxy.Host}/shop/api:prod"));

        var result = await PruneWhileAsync(proxy, directory, () => MoveTagAsync(client, repo, "hotfix", old.Digest));

        Assert.Equal([old.Digest], result.Spared);
        Assert.Empty(result.Deleted);
        Assert.Equal(old.Digest, (await client.HeadManifestAsync(repo.With("hotfix", null), Token))?.Digest);
    }

    [Fact]
    public async Task A_digest_someone_else_deleted_first_is_already_gone_not_deleted()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(registry.Host);
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        await RegistryImages.PushImageAsync(client, repo.With("prod", null), cancellationToken: Token);
        var old = await RegistryImages.PushImageAsync(client, repo.With("0.9", null), cancellationToken: Token);
        var older = await RegistryImages.PushImageAsync(client, repo.With("0.8", null), cancellationToken: Token);
        directory.Write("deploy.yaml", Samples.Pod($"{proxy.Host}/shop/api:prod"));

        var result = await PruneWhileAsync(proxy, directory, async () => Assert.True(await client.DeleteManifestAsync(repo.With(null, old.Digest), Token)));

        Assert.Equal([old.Digest], result.AlreadyGone);
        Assert.Equal([older.Digest], result.Deleted);
        Assert.Contains("1 already gone", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_keep_file_changed_to_pin_a_planned_deletion_spares_it()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(registry.Host);
        using var client = NewClient();
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        await RegistryImages.PushImageAsync(client, repo.With("prod", null), cancellationToken: Token);
        var old = await RegistryImages.PushImageAsync(client, repo.With("0.9", null), cancellationToken: Token);
        directory.Write("deploy.yaml", Samples.Pod($"{proxy.Host}/shop/api:prod"));

        var result = await PruneWhileAsync(proxy, directory, () =>
        {
            directory.Write("deploy.yaml", Samples.Pod($"{proxy.Host}/shop/api:prod", $"{proxy.Host}/shop/api@{old.Digest}"));
            return Task.CompletedTask;
        });

        Assert.Equal([old.Digest], result.Spared);
        Assert.NotNull(await client.HeadManifestAsync(repo.With(null, old.Digest), Token));
    }
}
