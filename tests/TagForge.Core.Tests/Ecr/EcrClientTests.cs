using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Services;
using TagForge.Testing.Ecr;
using TagForge.Values;

namespace TagForge.Ecr;

/// <summary>
/// The ECR client against the fake ECR (SigV4-verifying, ECR error shapes) in front of a real registry (Debian's
/// docker-registry with htpasswd Basic auth, user AWS). Needs: docker-registry, htpasswd.
/// </summary>
public sealed class EcrClientTests : IAsyncLifetime
{
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync() => await _ecr.DisposeAsync();

    private EcrClient Client(AwsCredentials? credentials = null, TimeProvider? time = null, int retries = 3) =>
        new(
            new EcrClientOptions(_ecr.Region, new Uri(_ecr.EndpointUrl)) { MaxRetryAttempts = retries, RetryBaseDelay = TimeSpan.FromMilliseconds(5) },
            new StaticAwsCredentialSource(credentials ?? new AwsCredentials(FakeEcr.TestAccessKeyId, FakeEcr.TestSecretAccessKey)),
            time: time);

    [Fact]
    public async Task Creates_a_missing_repository_once_and_reports_its_mutability()
    {
        using var client = Client();
        var ct = TestContext.Current.CancellationToken;

        var first = await EcrRepositories.EnsureAsync(client, "team/app", immutableTags: true, scanOnPush: true, ct);
        var second = await EcrRepositories.EnsureAsync(client, "team/app", immutableTags: false, scanOnPush: false, ct);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal("IMMUTABLE", second.TagMutability);
        Assert.True(second.Repository.ImageScanningConfiguration?.ScanOnPush);
        Assert.Equal("IMMUTABLE", _ecr.TagMutabilityOf("team/app"));
        Assert.All(_ecr.Requests, request => Assert.Null(request.ErrorType is "RepositoryNotFoundException" ? null : request.ErrorType));
    }

    [Fact]
    public async Task A_wrong_secret_key_is_refused_with_a_message_that_names_the_key_but_not_the_secret()
    {
        using var client = Client(new AwsCredentials(FakeEcr.TestAccessKeyId, "not-the-right-secret"));

        var ex = await Assert.ThrowsAsync<EcrCredentialsException>(() => client.DescribeRepositoryAsync("app", TestContext.Current.CancellationToken));

        Assert.Equal("InvalidSignatureException", ex.ErrorType);
        Assert.Equal(ExitCode.ExternalFailure, ex.ExitCode);
        Assert.Contains("check your AWS credentials", ex.Message, StringComparison.Ordinal);
        Assert.Contains(FakeEcr.TestAccessKeyId, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-right-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_access_key_is_refused_as_unrecognized()
    {
        using var client = Client(new AwsCredentials("AKIANOBODYKNOWSTHIS", "whatever"));

        var ex = await Assert.ThrowsAsync<EcrCredentialsException>(() => client.GetAuthorizationTokenAsync(TestContext.Current.CancellationToken));

        Assert.Equal("UnrecognizedClientException", ex.ErrorType);
        Assert.Contains("check your AWS credentials", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_session_token_is_reported_as_expired_credentials()
    {
        _ecr.AddCredentials("ASIATEMPORARYKEY0001", "temporary-secret", "session-token-value", expired: true);
        using var client = Client(new AwsCredentials("ASIATEMPORARYKEY0001", "temporary-secret", "session-token-value"));

        var ex = await Assert.ThrowsAsync<EcrCredentialsException>(() => client.GetAuthorizationTokenAsync(TestContext.Current.CancellationToken));

        Assert.Equal("ExpiredTokenException", ex.ErrorType);
        Assert.Contains("has expired", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("session-token-value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_session_token_is_signed_and_accepted()
    {
        _ecr.AddCredentials("ASIATEMPORARYKEY0002", "temporary-secret", "session-token-value");
        using var client = Client(new AwsCredentials("ASIATEMPORARYKEY0002", "temporary-secret", "session-token-value"));

        var data = await client.GetAuthorizationTokenAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(data.AuthorizationToken);
    }

    [Fact]
    public async Task A_request_signed_by_a_clock_an_hour_behind_is_refused_as_an_expired_signature()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        using var client = Client(time: time);

        var ex = await Assert.ThrowsAsync<EcrCredentialsException>(() => client.GetAuthorizationTokenAsync(TestContext.Current.CancellationToken));

        Assert.Contains("signature expired", ex.Message, StringComparison.Ordinal);
        Assert.Contains("clock", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_repository_is_reported_with_how_to_create_it()
    {
        using var client = Client();

        var ex = await Assert.ThrowsAsync<EcrServiceException>(() => client.DescribeImageAsync("nothing-here", new EcrImageId(ImageTag: "v1"), TestContext.Current.CancellationToken));

        Assert.Equal("RepositoryNotFoundException", ex.ErrorType);
        Assert.Contains("'nothing-here' does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tagforge ecr ensure-repo nothing-here", ex.Message, StringComparison.Ordinal);
        Assert.Null(await client.DescribeRepositoryAsync("nothing-here", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Throttling_is_retried_until_ECR_answers()
    {
        _ecr.AddRepository("app");
        _ecr.ThrottleNext(2);
        using var client = Client(retries: 3);

        var repository = await client.DescribeRepositoryAsync("app", TestContext.Current.CancellationToken);

        Assert.NotNull(repository);
        Assert.Equal(["ThrottlingException", "ThrottlingException", null], _ecr.Requests.Select(r => r.ErrorType));
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retries_fails_with_exit_1()
    {
        _ecr.ThrottleNext(10);
        using var client = Client(retries: 2);

        var ex = await Assert.ThrowsAsync<EcrServiceException>(() => client.GetAuthorizationTokenAsync(TestContext.Current.CancellationToken));

        Assert.Equal("ThrottlingException", ex.ErrorType);
        Assert.Equal(3, _ecr.Requests.Count);
    }

    [Fact]
    public async Task The_registry_login_is_cached_until_shortly_before_it_expires_then_fetched_again()
    {
        _ecr.TokenLifetime = TimeSpan.FromHours(1);
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        using var client = Client();
        using var cache = new EcrAuthorizationCache(client, time, refreshMargin: TimeSpan.FromMinutes(5));
        var ct = TestContext.Current.CancellationToken;

        var first = await cache.GetAsync(ct);
        time.Advance(TimeSpan.FromMinutes(50));
        var second = await cache.GetAsync(ct);
        time.Advance(TimeSpan.FromMinutes(6));
        var third = await cache.GetAsync(ct);

        Assert.Same(first, second);
        Assert.NotSame(second, third);
        Assert.Equal(2, _ecr.TokensIssued);
        Assert.Equal("AWS", third.Username);
        Assert.Equal(_ecr.RegistryPassword, third.Password);
        Assert.Equal(_ecr.Registry.Host, third.ServerAddress);
    }

    [Fact]
    public async Task The_registry_client_authenticates_to_ECR_with_GetAuthorizationToken_and_no_docker_login()
    {
        _ecr.AddRepository("app");
        var digest = await _ecr.PushImageAsync("app", "v1");
        var environment = new DictionaryEnvironment(new Dictionary<string, string>());
        using var authenticator = new EcrRegistryAuthenticator(
            new EcrSettings(Force: true, Region: _ecr.Region, EndpointUrl: _ecr.EndpointUrl),
            environment,
            new StaticAwsCredentialSource(new AwsCredentials(FakeEcr.TestAccessKeyId, FakeEcr.TestSecretAccessKey)));
        using var registry = new RegistryClient(new RegistryClientOptions { Credentials = new CredentialSourceChain(new EcrCredentialSource(authenticator)) });

        var manifest = await registry.HeadManifestAsync(ImageReference.Parse($"{_ecr.Registry.Host}/app:v1"), TestContext.Current.CancellationToken);
        var tags = await registry.ListTagsAsync(ImageReference.Parse($"{_ecr.Registry.Host}/app"), TestContext.Current.CancellationToken);

        Assert.Equal(digest, manifest?.Digest.ToString());
        Assert.Equal(["v1"], tags);
        Assert.Equal(1, _ecr.TokensIssued);
        using var unforced = new EcrRegistryAuthenticator(new EcrSettings(), environment, new StaticAwsCredentialSource(new AwsCredentials("a", "b")));
        Assert.Null(await new EcrCredentialSource(unforced).GetAsync("docker.io", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_registry_credential_carries_the_token_expiry_and_a_refused_one_is_fetched_again()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var environment = new DictionaryEnvironment(new Dictionary<string, string>());
        using var authenticator = new EcrRegistryAuthenticator(
            new EcrSettings(Force: true, Region: _ecr.Region, EndpointUrl: _ecr.EndpointUrl),
            environment,
            new StaticAwsCredentialSource(new AwsCredentials(FakeEcr.TestAccessKeyId, FakeEcr.TestSecretAccessKey)),
            time: time);
        var source = new EcrCredentialSource(authenticator);
        var ct = TestContext.Current.CancellationToken;

        var first = await source.GetAsync(_ecr.Registry.Host, ct);
        var cached = await source.GetAsync(_ecr.Registry.Host, ct);
        source.Invalidate(_ecr.Registry.Host);
        var refetched = await source.GetAsync(_ecr.Registry.Host, ct);

        Assert.NotNull(first?.ExpiresAt);
        Assert.InRange(first.ExpiresAt.Value, time.GetUtcNow().AddHours(11), time.GetUtcNow().AddHours(13));
        Assert.Equal(first, cached);
        Assert.NotNull(refetched);
        Assert.Equal(2, _ecr.TokensIssued);
    }

    [Fact]
    public async Task Adds_a_tag_to_an_existing_digest_without_pulling_and_confirms_it_with_DescribeImages()
    {
        _ecr.AddRepository("app");
        var digest = Digest.Parse(await _ecr.PushImageAsync("app", "build-41"));
        using var client = Client();
        var ct = TestContext.Current.CancellationToken;

        var result = await EcrImages.AddTagAsync(client, "app", new EcrImageId(ImageTag: "build-41"), "v1.0", ct);
        var again = await EcrImages.AddTagAsync(client, "app", new EcrImageId(ImageDigest: digest.ToString()), "v1.0", ct);

        Assert.True(result.Changed);
        Assert.False(again.Changed);
        Assert.Equal(digest, result.Digest);
        Assert.Equal(digest.ToString(), await _ecr.RegistryDigestAsync("app", "v1.0"));
        await EcrImages.ConfirmPushedAsync(client, "app", "v1.0", digest, ct);
        Assert.True(await EcrImages.ExistsAsync(client, "app", digest, ct));
        Assert.False(await EcrImages.ExistsAsync(client, "app", Digest.Sha256Of("nope"u8), ct));
        var detail = await client.DescribeImageAsync("app", new EcrImageId(ImageTag: "v1.0"), ct);
        Assert.Equal(["build-41", "v1.0"], detail?.ImageTags);
    }

    [Fact]
    public async Task Refuses_to_move_an_existing_tag_to_another_digest_with_the_overwrite_guards_message()
    {
        _ecr.AddRepository("app", immutable: false);
        var old = await _ecr.PushImageAsync("app", "v1");
        var newer = await _ecr.PushImageAsync("app", "build-2");
        using var client = Client();

        var ex = await Assert.ThrowsAsync<EcrTagConflictException>(() => EcrImages.AddTagAsync(client, "app", new EcrImageId(ImageTag: "build-2"), "v1", TestContext.Current.CancellationToken));

        Assert.Equal(ExitCode.PolicyRefusal, ex.ExitCode);
        Assert.Equal($"tag v1 already exists in app with digest {old}; refusing to overwrite it with {newer}", ex.Message);
        Assert.Equal(old, await _ecr.RegistryDigestAsync("app", "v1"));
    }

    [Fact]
    public async Task ECRs_own_immutable_tag_refusal_maps_to_exit_3()
    {
        _ecr.AddRepository("locked", immutable: true);
        await _ecr.PushImageAsync("locked", "v1");
        await _ecr.PushImageAsync("locked", "other");
        using var client = Client();
        var ct = TestContext.Current.CancellationToken;
        var other = await client.GetImageAsync("locked", new EcrImageId(ImageTag: "other"), EcrImages.ManifestMediaTypes, ct);

        var ex = await Assert.ThrowsAsync<EcrTagConflictException>(() =>
            client.PutImageAsync("locked", other!.ImageManifest!, other.ImageManifestMediaType, "v1", other.ImageId.ImageDigest, ct));

        Assert.Equal(ExitCode.PolicyRefusal, ex.ExitCode);
        Assert.StartsWith("tag v1 already exists in locked", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IMMUTABLE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_delete_image_deletes_by_digest_with_every_tag_and_answers_a_missing_digest_as_an_image_not_found_failure()
    {
        _ecr.AddRepository("app");
        var doomed = await _ecr.PushImageAsync("app", "0.9");
        var kept = await _ecr.PushImageAsync("app", "1.0");
        var missing = "sha256:" + new string('3', 64);
        using var client = Client();
        var ct = TestContext.Current.CancellationToken;

        var answer = await client.BatchDeleteImageAsync("app", [new EcrImageId(ImageDigest: doomed), new EcrImageId(ImageDigest: missing)], ct);

        Assert.Equal([new EcrImageId(doomed, "0.9")], answer.ImageIds);
        var failure = Assert.Single(answer.Failures!);
        Assert.Equal((missing, "ImageNotFound"), (failure.ImageId?.ImageDigest, failure.FailureCode));
        Assert.Null(await _ecr.RegistryDigestAsync("app", "0.9"));
        Assert.Equal(kept, await _ecr.RegistryDigestAsync("app", "1.0"));
        Assert.Equal("AmazonEC2ContainerRegistry_V20150921.BatchDeleteImage", "AmazonEC2ContainerRegistry_V20150921." + Assert.Single(_ecr.Requests, request => request.Operation == "BatchDeleteImage").Operation);
    }

    [Fact]
    public async Task Batch_delete_image_of_more_than_100_ids_is_refused_before_anything_is_sent()
    {
        using var client = Client();
        var ids = Enumerable.Range(0, 101).Select(i => new EcrImageId(ImageDigest: "sha256:" + i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture))).ToList();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.BatchDeleteImageAsync("app", ids, TestContext.Current.CancellationToken));

        Assert.DoesNotContain(_ecr.Requests, request => request.Operation == "BatchDeleteImage");
    }
}
