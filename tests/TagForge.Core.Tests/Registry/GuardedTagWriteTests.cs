using TagForge.Errors;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>The one guarded tag write, against a real registry whose answers decide each case. Needs: docker-registry.</summary>
public sealed class GuardedTagWriteTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class PutCounter(IRegistryClient inner) : DelegatingRegistryClient(inner)
    {
        private int _puts;

        public int Puts => _puts;

        public override Task<Digest> PutManifestAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _puts);
            return base.PutManifestAsync(reference, mediaType, body, cancellationToken);
        }
    }

    private static async Task<(LocalRegistry Registry, RegistryClient Client, RegistryManifest First, RegistryManifest Second)> TwoImagesAsync()
    {
        var registry = await LocalRegistry.StartAsync();
        var client = new RegistryClient(new RegistryClientOptions { MaxRetryAttempts = 0 });
        await RegistryImages.PushImageAsync(client, ImageReference.Parse($"{registry.Host}/app:one"), cancellationToken: Token);
        await RegistryImages.PushImageAsync(client, ImageReference.Parse($"{registry.Host}/app:two"), cancellationToken: Token);
        var first = (await client.GetManifestAsync(ImageReference.Parse($"{registry.Host}/app:one"), Token))!;
        var second = (await client.GetManifestAsync(ImageReference.Parse($"{registry.Host}/app:two"), Token))!;
        return (registry, client, first, second);
    }

    [Fact]
    public async Task A_missing_tag_is_written_and_the_same_digest_again_is_nothing_to_do()
    {
        var (registry, client, first, _) = await TwoImagesAsync();
        await using var _registry = registry;
        using var _client = client;
        var counter = new PutCounter(client);
        var tag = ImageReference.Parse($"{registry.Host}/app:prod");

        var written = await GuardedTagWrite.WriteAsync(counter, tag, first, new TagWritePolicy(), Token);
        var again = await GuardedTagWrite.WriteAsync(counter, tag, first, new TagWritePolicy(), Token);

        Assert.Equal((TagWriteResult.Written, (Digest?)null), (written.Result, written.Previous));
        Assert.Equal((TagWriteResult.AlreadyThere, first.Digest), (again.Result, again.Previous));
        Assert.Equal(1, counter.Puts);
        Assert.Equal(first.Digest, (await client.HeadManifestAsync(tag, Token))?.Digest);
    }

    [Fact]
    public async Task Another_digest_is_refused_with_exit_3_left_alone_or_replaced_as_the_policy_says()
    {
        var (registry, client, first, second) = await TwoImagesAsync();
        await using var _registry = registry;
        using var _client = client;
        var tag = ImageReference.Parse($"{registry.Host}/app:prod");
        await GuardedTagWrite.WriteAsync(client, tag, first, new TagWritePolicy(), Token);

        var refused = await Assert.ThrowsAsync<PolicyRefusalException>(() => GuardedTagWrite.WriteAsync(client, tag, second, new TagWritePolicy(TagConflict.Refuse, "use --allow-overwrite"), Token));
        Assert.Equal(ExitCode.PolicyRefusal, refused.ExitCode);
        Assert.Equal(
            $"{registry.Host}/app:prod already exists in {registry.Host} with digest {first.Digest}, and the image to put there is {second.Digest}; refusing to overwrite it (use --allow-overwrite)",
            refused.Message);
        Assert.Equal(first.Digest, (await client.HeadManifestAsync(tag, Token))?.Digest);

        var kept = await GuardedTagWrite.WriteAsync(client, tag, second, new TagWritePolicy(TagConflict.Keep), Token);
        Assert.Equal((TagWriteResult.LeftAlone, first.Digest, false), (kept.Result, kept.Previous, kept.HoldsDigest));
        Assert.Equal(first.Digest, (await client.HeadManifestAsync(tag, Token))?.Digest);

        var replaced = await GuardedTagWrite.WriteAsync(client, tag, second, new TagWritePolicy(TagConflict.Replace), Token);
        Assert.Equal((TagWriteResult.Replaced, first.Digest), (replaced.Result, replaced.Previous));
        Assert.Equal(second.Digest, (await client.HeadManifestAsync(tag, Token))?.Digest);
    }

    [Fact]
    public async Task Check_reads_what_a_write_would_do_and_writes_nothing()
    {
        var (registry, client, first, second) = await TwoImagesAsync();
        await using var _registry = registry;
        using var _client = client;
        var tag = ImageReference.Parse($"{registry.Host}/app:prod");
        await GuardedTagWrite.WriteAsync(client, tag, first, new TagWritePolicy(), Token);

        var check = await GuardedTagWrite.CheckAsync(client, tag, second.Digest, new TagWritePolicy(TagConflict.Replace), Token);

        Assert.Equal((TagWriteResult.Replaced, first.Digest), (check.Result, check.Previous));
        Assert.Equal(first.Digest, (await client.HeadManifestAsync(tag, Token))?.Digest);
    }
}
