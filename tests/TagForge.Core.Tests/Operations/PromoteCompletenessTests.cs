using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Services;
using TagForge.Testing;
using TagForge.Testing.Ecr;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// What a promotion leaves at the destination, judged by the destination registry's own /v2 answers: signature and
/// referrers tags guarded like any tag, the destination tag written last (a rerun finishes an interrupted promotion),
/// non-distributable layers as skopeo handles them, and progress while blobs move. Needs: docker-registry, skopeo.
/// </summary>
public sealed class PromoteCompletenessTests
{
    private static readonly RegistryAccess NoRetries = new() { MaxRetryAttempts = 0 };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ImageReference Ref(string host, string path) => ImageReference.Parse($"{host}/{path}");

    private static RegistryClient NewClient() => new(new RegistryClientOptions { MaxRetryAttempts = 0 });

    private static TagForgeServices ServicesWith(TempDirectory directory, IRegistryClient client, ListLogger? logger = null, IProgress<ProgressUpdate>? progress = null, TimeProvider? clock = null) =>
        new(DictionaryEnvironment.Empty, logger, clock, directory.Path, registries: _ => new RegistrySession(client, new CredentialSourceChain()), progress: progress);

    private static string Tag(Digest subject, string suffix = "") => $"sha256-{subject.Hex}{suffix}";

    [Fact]
    public async Task A_second_promotion_of_the_same_digest_leaves_the_destinations_own_signature_tag_and_warns_naming_both_digests()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var image = await RegistryImages.PushImageAsync(real, Ref(from.Host, "team/app:v1"), cancellationToken: Token);
        var sourceSignature = await ArtifactImages.PushTagAsync(real, Ref(from.Host, "team/app"), image.Digest, ".sig", cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        var request = new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{to.Host}/prod/app:1.0", Registry = NoRetries };
        using (var services = ServicesWith(directory, real))
        {
            await PromoteOperation.RunAsync(request, services, Token);
        }

        Assert.Equal(sourceSignature, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(image.Digest, ".sig")}"), Token))?.Digest);

        // The destination signs the image itself (its own key): its .sig tag now holds another digest.
        var ownSignature = await ArtifactImages.PushTagAsync(real, Ref(to.Host, "prod/app"), image.Digest, ".sig", note: "destination", cancellationToken: Token);
        Assert.NotEqual(sourceSignature, ownSignature);
        var logger = new ListLogger();
        PromoteResult again;
        using (var services = ServicesWith(directory, real, logger))
        {
            again = await PromoteOperation.RunAsync(request, services, Token);
        }

        Assert.Equal(ownSignature, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(image.Digest, ".sig")}"), Token))?.Digest);
        var kept = Assert.Single(again.Copy!.LeftAlone);
        Assert.Equal((TagWriteResult.LeftAlone, ownSignature, sourceSignature), (kept.Result, kept.Previous, kept.Digest));
        var warning = Assert.Single(logger.Messages, message => message.StartsWith("Warning:", StringComparison.Ordinal));
        Assert.Equal($"Warning: {to.Host}/prod/app:{Tag(image.Digest, ".sig")} holds {ownSignature}, not the source's {sourceSignature}: left as it is (--replace-signatures replaces it)", warning);
        Assert.True(again.AlreadyThere);

        // Asked to replace it, it is replaced.
        using (var services = ServicesWith(directory, real))
        {
            await PromoteOperation.RunAsync(request with { ReplaceSignatures = true }, services, Token);
        }

        Assert.Equal(sourceSignature, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(image.Digest, ".sig")}"), Token))?.Digest);
    }

    [Fact]
    public async Task A_first_promotion_leaves_a_referrers_tag_the_destination_already_has_and_copies_the_attestation_it_lacks()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var (index, _, _) = await RegistryImages.PushIndexAsync(real, Ref(from.Host, "team/app:v1"), cancellationToken: Token);
        var attestation = await ArtifactImages.PushTagAsync(real, Ref(from.Host, "team/app"), index, ".att", cancellationToken: Token);
        var sourceReferrers = await ArtifactImages.PushReferrersTagAsync(real, Ref(from.Host, "team/app"), index, cancellationToken: Token);
        var ownReferrers = await ArtifactImages.PushReferrersTagAsync(real, Ref(to.Host, "prod/app"), index, note: "destination", cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        using var services = ServicesWith(directory, real);

        var result = await PromoteOperation.RunAsync(new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{to.Host}/prod/app:1.0", Registry = NoRetries }, services, Token);

        Assert.Equal(index, (await real.HeadManifestAsync(Ref(to.Host, "prod/app:1.0"), Token))?.Digest);
        Assert.Equal(attestation, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(index, ".att")}"), Token))?.Digest);
        Assert.Equal(ownReferrers, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(index)}"), Token))?.Digest);
        Assert.Equal([Tag(index, ".att")], result.Copy!.SignatureTags);
        Assert.Equal((ownReferrers, sourceReferrers), (result.Copy.LeftAlone.Single().Previous, result.Copy.LeftAlone.Single().Digest));
    }

    [Fact]
    public async Task An_interrupted_promotion_is_finished_by_a_rerun_and_the_tag_appears_only_once_everything_is_there()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(to.Host);
        using var real = NewClient();
        var (index, amd, arm) = await RegistryImages.PushIndexAsync(real, Ref(from.Host, "team/app:v1"), cancellationToken: Token);
        var signature = await ArtifactImages.PushTagAsync(real, Ref(from.Host, "team/app"), index, ".sig", cancellationToken: Token);
        var attestation = await ArtifactImages.PushTagAsync(real, Ref(from.Host, "team/app"), index, ".att", cancellationToken: Token);
        var referrers = await ArtifactImages.PushReferrersTagAsync(real, Ref(from.Host, "team/app"), index, cancellationToken: Token);
        proxy.Inject(Fault.Status(500, method: "PUT", pathContains: $"/manifests/{Tag(index, ".att")}"));
        using var directory = new TempDirectory("promote");
        var request = new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{proxy.Host}/prod/app:1.0", Record = "tagforge.json", Registry = NoRetries };

        using (var services = ServicesWith(directory, real))
        {
            await Assert.ThrowsAnyAsync<ExternalFailureException>(() => PromoteOperation.RunAsync(request, services, Token));
        }

        // Interrupted after the manifests, before the attestation: no tag, so no reader meets a half-promoted image.
        Assert.NotNull(await real.HeadManifestAsync(Ref(to.Host, $"prod/app@{amd.Digest}"), Token));
        Assert.NotNull(await real.HeadManifestAsync(Ref(to.Host, $"prod/app@{arm.Digest}"), Token));
        Assert.Null(await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(index, ".att")}"), Token));
        Assert.Null(await real.HeadManifestAsync(Ref(to.Host, "prod/app:1.0"), Token));
        Assert.False(File.Exists(directory.Combine("tagforge.json")));

        PromoteResult rerun;
        using (var services = ServicesWith(directory, real))
        {
            rerun = await PromoteOperation.RunAsync(request, services, Token);
        }

        Assert.False(rerun.AlreadyThere);
        Assert.Equal(index, (await real.HeadManifestAsync(Ref(to.Host, "prod/app:1.0"), Token))?.Digest);
        Assert.Equal(attestation, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(index, ".att")}"), Token))?.Digest);
        Assert.Equal(signature, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(index, ".sig")}"), Token))?.Digest);
        Assert.Equal(referrers, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(index)}"), Token))?.Digest);
        Assert.All(rerun.Copy!.Blobs, blob => Assert.Equal(BlobAction.Skipped, blob.Action));

        // In both runs the destination tag was the last manifest put.
        var puts = proxy.Log.Where(line => line.StartsWith("PUT /v2/prod/app/manifests/", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("PUT /v2/prod/app/manifests/1.0 ", puts[^1], StringComparison.Ordinal);
        Assert.Single(puts, line => line.StartsWith("PUT /v2/prod/app/manifests/1.0 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tag_promoted_before_its_attestation_existed_gets_it_on_the_next_run_instead_of_nothing_to_promote()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        using var real = NewClient();
        var image = await RegistryImages.PushImageAsync(real, Ref(from.Host, "team/app:v1"), cancellationToken: Token);
        using var directory = new TempDirectory("promote");
        var request = new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{to.Host}/prod/app:1.0", Registry = NoRetries };
        using var services = ServicesWith(directory, real);
        await PromoteOperation.RunAsync(request, services, Token);
        var attestation = await ArtifactImages.PushTagAsync(real, Ref(from.Host, "team/app"), image.Digest, ".att", cancellationToken: Token);

        var completed = await PromoteOperation.RunAsync(request, services, Token);
        var nothing = await PromoteOperation.RunAsync(request, services, Token);

        Assert.False(completed.AlreadyThere);
        Assert.Equal([Tag(image.Digest, ".att")], completed.Copy!.SignatureTags);
        Assert.Equal(attestation, (await real.HeadManifestAsync(Ref(to.Host, $"prod/app:{Tag(image.Digest, ".att")}"), Token))?.Digest);
        Assert.True(nothing.AlreadyThere);
    }

    [Theory]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip")]
    [InlineData("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip")]
    public async Task A_non_distributable_layer_keeps_its_descriptor_and_is_not_copied_exactly_as_skopeo_copy_all_does(string mediaType)
    {
        await using var from = await LocalRegistry.StartAsync(ArtifactImages.AllowLayerUrlsYaml);
        await using var to = await LocalRegistry.StartAsync(ArtifactImages.AllowLayerUrlsYaml);
        using var real = NewClient();
        var (digest, layer) = await ArtifactImages.PushNonDistributableAsync(real, Ref(from.Host, "team/app:v1"), mediaType, Token);
        using var directory = new TempDirectory("promote");
        using var services = ServicesWith(directory, real);

        var result = await PromoteOperation.RunAsync(new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{to.Host}/prod/app:v1", Registry = NoRetries }, services, Token);
        var skopeo = await ProcessRunner.RunAsync(
            "skopeo", ["copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{from.Host}/team/app:v1", $"docker://{to.Host}/skopeo/app:v1"],
            environment: new Dictionary<string, string?> { ["HOME"] = directory.Path, ["XDG_RUNTIME_DIR"] = directory.Path, ["REGISTRY_AUTH_FILE"] = directory.Combine("auth.json") },
            cancellationToken: Token);

        Assert.True(skopeo.ExitCode == 0, skopeo.ToString());
        Assert.Equal(digest, result.Digest);
        Assert.Equal([layer], result.Copy!.ExternalLayers);
        Assert.Equal(digest, (await real.HeadManifestAsync(Ref(to.Host, "prod/app:v1"), Token))?.Digest);
        Assert.Equal(digest, (await real.HeadManifestAsync(Ref(to.Host, "skopeo/app:v1"), Token))?.Digest);
        Assert.Null(await real.HeadBlobAsync(Ref(to.Host, "prod/app"), layer, Token));
        Assert.Null(await real.HeadBlobAsync(Ref(to.Host, "skopeo/app"), layer, Token));
        Assert.DoesNotContain(result.Copy.Blobs, blob => blob.Digest == layer);
    }

    [Fact]
    public async Task Progress_of_bytes_and_blobs_is_reported_while_the_blobs_move_before_the_tag_is_written()
    {
        await using var from = await LocalRegistry.StartAsync();
        await using var to = await LocalRegistry.StartAsync();
        await using var proxy = FaultProxy.Start(to.Host);
        proxy.Inject(Fault.Slow(TimeSpan.FromMilliseconds(50), method: "PUT", pathContains: "/blobs/uploads/"));
        using var real = NewClient();
        var image = await RegistryImages.PushImageAsync(real, Ref(from.Host, "team/app:v1"), layers: 6, layerSize: 256 * 1024, cancellationToken: Token);

        // A clock that moves one second per blob sent: "2 s later" without waiting for it.
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var events = new List<string>();
        var updates = new List<ProgressUpdate>();
        var progress = new SynchronousProgress(update =>
        {
            lock (events)
            {
                updates.Add(update);
                events.Add($"progress {update.Done}/{update.Total}");
            }
        });
        var client = new ObservedClient(real, (method, reference) =>
        {
            lock (events)
            {
                events.Add($"{method} {reference}");
                if (method == "push")
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                }
            }
        });
        using var directory = new TempDirectory("promote");
        using var services = ServicesWith(directory, client, progress: progress, clock: clock);

        await PromoteOperation.RunAsync(new PromoteRequest { Source = $"{from.Host}/team/app:v1", Destination = $"{proxy.Host}/prod/app:v1", MaxConcurrency = 1, Registry = NoRetries }, services, Token);

        var total = image.Blobs.Count;
        Assert.Equal(total, events.Count(line => line.StartsWith("push ", StringComparison.Ordinal)));
        var tagPut = events.FindIndex(line => line == $"put {proxy.Host}/prod/app:v1");
        var firstProgress = events.FindIndex(line => line.StartsWith("progress ", StringComparison.Ordinal));
        var lastPush = events.FindLastIndex(line => line.StartsWith("push ", StringComparison.Ordinal));
        Assert.InRange(firstProgress, 0, lastPush - 1);
        Assert.True(tagPut > lastPush);
        Assert.Contains(updates, update => update.Done < update.Total && update.Items < update.ItemsTotal);
        var last = updates[^1];
        Assert.True(last.Finished);
        Assert.Equal(((long?)last.Done, (int?)total, (int?)total), (last.Total, last.Items, last.ItemsTotal));
        Assert.All(updates, update => Assert.Equal(ProgressUnit.Bytes, update.Unit));
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }

    /// <summary>Tells the test about each blob pushed and manifest put, when it happens.</summary>
    private sealed class ObservedClient(IRegistryClient inner, Action<string, string> observe) : DelegatingRegistryClient(inner)
    {
        public override async Task PushBlobAsync(ImageReference repository, Digest digest, long size, Stream content, CancellationToken cancellationToken = default)
        {
            await base.PushBlobAsync(repository, digest, size, content, cancellationToken);
            observe("push", digest.ToString());
        }

        public override async Task<Digest> PutManifestAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        {
            var digest = await base.PutManifestAsync(reference, mediaType, body, cancellationToken);
            observe("put", reference.ToString());
            return digest;
        }
    }
}
