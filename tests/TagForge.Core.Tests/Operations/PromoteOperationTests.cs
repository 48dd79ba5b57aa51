using TagForge.Errors;
using TagForge.IO;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Services;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// Promotion against real registries: two docker-registry instances (<see cref="LocalRegistry"/>), a forwarding proxy
/// that refuses mounts (<see cref="RegistryProxy"/>), and a counting client around the real one to see which requests
/// were sent. Needs: docker-registry.
/// </summary>
public sealed class PromoteOperationTests
{
    private static readonly RegistryAccess NoRetries = new() { MaxRetryAttempts = 0 };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ImageReference Ref(string host, string path) => ImageReference.Parse($"{host}/{path}");

    /// <summary>Counts blob uploads, mounts and manifest puts; can stop a registry after the first upload to it.</summary>
    private sealed class CountingClient(IRegistryClient inner) : DelegatingRegistryClient(inner)
    {
        private int _pushes;
        private int _mounts;
        private int _puts;

        public int Pushes => _pushes;

        public int Mounts => _mounts;

        public int Puts => _puts;

        public List<Digest> Pushed { get; } = [];

        public Func<Task>? AfterFirstPush { get; set; }

        public override async Task PushBlobAsync(ImageReference repository, Digest digest, long size, Stream content, CancellationToken cancellationToken = default)
        {
            await base.PushBlobAsync(repository, digest, size, content, cancellationToken);
            lock (Pushed)
            {
                Pushed.Add(digest);
            }

            if (Interlocked.Increment(ref _pushes) == 1 && AfterFirstPush is { } stop)
            {
                await stop();
            }
        }

        public override Task<bool> MountBlobAsync(ImageReference target, Digest digest, string fromRepository, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _mounts);
            return base.MountBlobAsync(target, digest, fromRepository, cancellationToken);
        }

        public override Task<Digest> PutManifestAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _puts);
            return base.PutManifestAsync(reference, mediaType, body, cancellationToken);
        }
    }

    private static TagForgeServices ServicesWith(TempDirectory directory, CountingClient client, IEnvironmentVariables? environment = null) =>
        new(environment ?? DictionaryEnvironment.Empty, workingDirectory: directory.Path, registries: _ => new RegistrySession(client, new CredentialSourceChain()));

    private static RegistryClient NewClient() => new(new RegistryClientOptions { MaxRetryAttempts = 0 });

    [Fact]
    public async Task A_retag_in_the_same_repository_puts_only_the_manifest_and_keeps_the_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var image = await RegistryImages.PushImageAsync(real, Ref(registry.Host, "team/app:v1"), cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        var counting = new CountingClient(real);
        using var services = ServicesWith(directory, counting);

        var result = await PromoteOperation.RunAsync(new PromoteRequest { Source = $"{registry.Host}/team/app:v1", Destination = "prod", Registry = NoRetries }, services, Token);

        Assert.Equal(PromoteKind.Retag, result.Kind);
        Assert.Equal(image.Digest, result.Digest);
        Assert.Equal(image.Digest, (await real.HeadManifestAsync(Ref(registry.Host, "team/app:prod"), Token))?.Digest);
        Assert.Equal((0, 0, 1), (counting.Pushes, counting.Mounts, counting.Puts));
        Assert.Empty(result.Copy!.Blobs);
    }

    [Fact]
    public async Task Another_repository_of_the_same_registry_gets_every_blob_mounted_not_copied()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var image = await RegistryImages.PushImageAsync(real, Ref(registry.Host, "team/app:v1"), layers: 3, cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        var counting = new CountingClient(real);
        using var services = ServicesWith(directory, counting);

        var result = await PromoteOperation.RunAsync(new PromoteRequest { Source = $"{registry.Host}/team/app:v1", Destination = $"{registry.Host}/release/app", Registry = NoRetries }, services, Token);

        Assert.Equal(PromoteKind.Mount, result.Kind);
        Assert.Equal(image.Digest, (await real.HeadManifestAsync(Ref(registry.Host, "release/app:v1"), Token))?.Digest);
        Assert.Equal(image.Blobs.Select(blob => blob.ToString()).Order(), result.Copy!.Blobs.Select(blob => blob.Digest.ToString()).Order());
        Assert.All(result.Copy.Blobs, blob => Assert.Equal(BlobAction.Mounted, blob.Action));
        Assert.Equal(0, counting.Pushes);
    }

    [Fact]
    public async Task A_registry_that_refuses_mounts_gets_the_blobs_copied_and_the_same_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await using var proxy = RegistryProxy.Start(registry, refuseMounts: true);
        using var real = NewClient();
        var image = await RegistryImages.PushImageAsync(real, Ref(proxy.Host, "team/app:v1"), cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        var counting = new CountingClient(real);
        using var services = ServicesWith(directory, counting);

        var result = await PromoteOperation.RunAsync(new PromoteRequest { Source = $"{proxy.Host}/team/app:v1", Destination = $"{proxy.Host}/release/app:v1", Registry = NoRetries }, services, Token);

        Assert.Equal(image.Digest, (await real.HeadManifestAsync(Ref(registry.Host, "release/app:v1"), Token))?.Digest);
        Assert.All(result.Copy!.Blobs, blob => Assert.Equal(BlobAction.Copied, blob.Action));
        Assert.Equal((image.Blobs.Count, image.Blobs.Count), (counting.Mounts, counting.Pushes));
        Assert.Contains(proxy.Requests, line => line.StartsWith("POST /v2/release/app/blobs/uploads/?mount=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_two_platform_index_crosses_registries_with_every_child_and_its_signature_tag_digests_unchanged()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var (index, amd, arm) = await RegistryImages.PushIndexAsync(real, Ref(from.Host, "team/app:v1"), cancellationToken: Token);
        var signature = await RegistryImages.PushSignatureTagAsync(real, Ref(from.Host, "team/app"), index, Token);
        var signatureTag = $"sha256-{index.Hex}.sig";
        using var directory = new TempDirectory("promote");
        var counting = new CountingClient(real);
        using var services = ServicesWith(directory, counting);

        var result = await PromoteOperation.RunAsync(
            new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{to.Host}/prod/app:1.0", Record = "tagforge.json", Registry = NoRetries }, services, Token);

        Assert.Equal(PromoteKind.Copy, result.Kind);
        Assert.Equal(index, (await real.HeadManifestAsync(Ref(to.Host, "prod/app:1.0"), Token))?.Digest);
        Assert.Equal(amd.Digest, (await real.GetManifestAsync(Ref(to.Host, $"prod/app@{amd.Digest}"), Token))?.Digest);
        Assert.Equal(arm.Digest, (await real.GetManifestAsync(Ref(to.Host, $"prod/app@{arm.Digest}"), Token))?.Digest);
        Assert.Equal(signature, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{signatureTag}"), Token))?.Digest);
        Assert.Equal([signatureTag], result.Copy!.SignatureTags);
        foreach (var blob in amd.Blobs.Concat(arm.Blobs))
        {
            Assert.NotNull(await real.HeadBlobAsync(Ref(to.Host, "prod/app"), blob, Token));
        }

        var promotion = Assert.Single(BuildRecordFile.Read(directory.Combine("tagforge.json")).Promotions!);
        Assert.Equal(($"{from.Host}/team/app:v1", $"{to.Host}/prod/app:1.0", index.ToString()), (promotion.Source, promotion.Destination, promotion.Digest));
        Assert.Null(promotion.Build);

        // Without signatures the .sig tag stays behind.
        var bare = await PromoteOperation.RunAsync(
            new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{to.Host}/bare/app:1.0", NoSignatures = true, Registry = NoRetries }, services, Token);
        Assert.Equal(index, bare.Digest);
        Assert.Empty(bare.Copy!.SignatureTags);
        Assert.Null(await real.HeadManifestAsync(Ref(to.Host, $"bare/app:{signatureTag}"), Token));
    }

    [Fact]
    public async Task The_guard_refuses_another_digest_allows_it_with_a_backup_and_does_nothing_for_the_same_one()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var tested = await RegistryImages.PushImageAsync(real, Ref(registry.Host, "team/app:v2"), cancellationToken: Token);
        var old = await RegistryImages.PushImageAsync(real, Ref(registry.Host, "team/app:prod"), cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        var counting = new CountingClient(real);
        using var services = ServicesWith(directory, counting);
        var request = new PromoteRequest { Source = $"{registry.Host}/team/app:v2", Destination = "prod", Record = "tagforge.json", Registry = NoRetries };

        var refused = await Assert.ThrowsAsync<PolicyRefusalException>(() => PromoteOperation.RunAsync(request, services, Token));
        Assert.Equal(
            $"{registry.Host}/team/app:prod already exists in {registry.Host} with digest {old.Digest}, and the image promoted is {tested.Digest}; refusing to overwrite it (use another tag, or --allow-overwrite, with --backup-tag to keep the old one)",
            refused.Message);
        Assert.Equal(old.Digest, (await real.HeadManifestAsync(Ref(registry.Host, "team/app:prod"), Token))?.Digest);
        Assert.False(File.Exists(directory.Combine("tagforge.json")));

        var moved = await PromoteOperation.RunAsync(request with { AllowOverwrite = true, BackupTag = "{tag}-previous" }, services, Token);
        Assert.Equal(("prod-previous", old.Digest), (moved.BackupTag, moved.Replaced));
        Assert.Equal(tested.Digest, (await real.HeadManifestAsync(Ref(registry.Host, "team/app:prod"), Token))?.Digest);
        Assert.Equal(old.Digest, (await real.HeadManifestAsync(Ref(registry.Host, "team/app:prod-previous"), Token))?.Digest);

        var puts = counting.Puts;
        var again = await PromoteOperation.RunAsync(request, services, Token);
        Assert.True(again.AlreadyThere);
        Assert.Equal(puts, counting.Puts);
        Assert.Single(BuildRecordFile.Read(directory.Combine("tagforge.json")).Promotions!);
    }

    [Fact]
    public async Task A_destination_that_goes_down_mid_copy_fails_with_exit_1_records_nothing_and_a_rerun_resends_nothing_that_arrived()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var image = await RegistryImages.PushImageAsync(real, Ref(from.Host, "team/app:v1"), layers: 4, layerSize: 64 * 1024, cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        var first = new CountingClient(real) { AfterFirstPush = to.StopAsync };
        var request = new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{to.Host}/prod/app", Record = "tagforge.json", MaxConcurrency = 1, Registry = NoRetries };

        using (var services = ServicesWith(directory, first))
        {
            var failure = await Assert.ThrowsAnyAsync<ExternalFailureException>(() => PromoteOperation.RunAsync(request, services, Token));
            Assert.Contains($"cannot reach registry {to.Host}", failure.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(directory.Combine("tagforge.json")));
        var arrived = Assert.Single(first.Pushed);

        await to.RestartAsync();
        var second = new CountingClient(real);
        using (var services = ServicesWith(directory, second))
        {
            var result = await PromoteOperation.RunAsync(request, services, Token);
            Assert.Equal(image.Digest, result.Digest);
            Assert.Equal(BlobAction.Skipped, result.Copy!.Blobs.Single(blob => blob.Digest == arrived).Action);
        }

        Assert.Equal(image.Blobs.Count - 1, second.Pushes);
        Assert.DoesNotContain(arrived, second.Pushed);
        Assert.Equal(image.Digest, (await real.HeadManifestAsync(Ref(to.Host, "prod/app:v1"), Token))?.Digest);
        Assert.Single(BuildRecordFile.Read(directory.Combine("tagforge.json")).Promotions!);
    }

    [Fact]
    public async Task A_missing_source_is_exit_3_and_an_unreachable_one_exit_1()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var real = NewClient();
        using var directory = new TempDirectory("promote");
        using var services = ServicesWith(directory, new CountingClient(real));

        var missing = await Assert.ThrowsAsync<PolicyRefusalException>(() =>
            PromoteOperation.RunAsync(new PromoteRequest { Source = $"{registry.Host}/team/app:nope", Destination = "prod", Registry = NoRetries }, services, Token));
        Assert.Equal($"{registry.Host}/team/app:nope does not exist in {registry.Host} (deleted, never pushed, or a typo); nothing to promote", missing.Message);

        await registry.StopAsync();
        await Assert.ThrowsAsync<RegistryException>(() =>
            PromoteOperation.RunAsync(new PromoteRequest { Source = $"{registry.Host}/team/app:v1", Destination = "prod", Registry = NoRetries }, services, Token));
    }

    [Fact]
    public async Task A_record_entry_is_promoted_by_its_name_and_dotenv_and_github_outputs_name_the_destination()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var image = await RegistryImages.PushImageAsync(real, Ref(registry.Host, "team/app:build-7"), cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        directory.Write("tagforge.json", Samples.RecordJson($"{registry.Host}/team/app", image.Digest.ToString()));
        var output = directory.Write("github-output", "");
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["GITHUB_OUTPUT"] = output, ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_NUMBER"] = "41" });
        using var services = ServicesWith(directory, new CountingClient(real), environment);

        var result = await PromoteOperation.RunAsync(
            new PromoteRequest { Image = $"{registry.Host}/team/app", Record = "tagforge.json", Destination = "prod", Dotenv = "promote.env", Registry = NoRetries }, services, Token);

        Assert.Equal(image.Digest, result.Digest);
        Assert.Equal($"IMAGE_TAG=prod\nIMAGE_DIGEST={image.Digest}\nIMAGE_REF={registry.Host}/team/app@{image.Digest}\n", File.ReadAllText(directory.Combine("promote.env")));
        Assert.Contains($"digest={image.Digest}\n", File.ReadAllText(output), StringComparison.Ordinal);
        var promotion = Assert.Single(BuildRecordFile.Read(directory.Combine("tagforge.json")).Promotions!);
        Assert.Equal(($"{registry.Host}/team/app@{image.Digest}", $"{registry.Host}/team/app:prod"), (promotion.Source, promotion.Destination));
        Assert.Equal("github-actions", promotion.Build?.Provider);
    }

    [Theory]
    [InlineData("{tag}-previous", "prod-previous")]
    [InlineData("backup-{tag}-{digest}", "backup-prod-0123456789ab")]
    public void A_backup_tag_template_names_the_tag_and_the_replaced_digest(string template, string expected) =>
        Assert.Equal(expected, PromoteOperation.BackupTagFor(template, "prod", Digest.Parse("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")));

    [Fact]
    public void A_backup_tag_that_is_not_a_tag_is_bad_input() =>
        Assert.Throws<BadInputException>(() => PromoteOperation.BackupTagFor("{tag}/old", "prod", Digest.Sha256Of("x"u8)));
}
