using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Cli.Tests.Ecr;

/// <summary>
/// The AWS credential chain as the built CLI uses it (AWSSDK.Core's resolver): web identity as GitHub Actions OIDC
/// sets it up (a fake STS answering AssumeRoleWithWebIdentity), shared credentials profiles, and no credentials at
/// all. Needs: docker-registry, htpasswd (behind the fake ECR).
/// </summary>
public sealed class EcrCredentialChainTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("ecr-chain");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    private Dictionary<string, string?> WithoutKeys()
    {
        var environment = _ecr.ClientEnvironment(_home);
        environment["AWS_ACCESS_KEY_ID"] = null;
        environment["AWS_SECRET_ACCESS_KEY"] = null;
        environment["HOME"] = _home.Path;
        return environment;
    }

    [Fact]
    public async Task Web_identity_credentials_from_an_OIDC_token_file_reach_ECR()
    {
        const string role = "arn:aws:iam::123456789012:role/ci";
        const string token = "eyJhbGciOiJSUzI1NiJ9.fake-github-oidc-token.signature";
        await using var sts = FakeSts.Start(role, token);
        _ecr.AddCredentials(FakeSts.AccessKeyId, FakeSts.SecretAccessKey, FakeSts.SessionToken);
        var environment = WithoutKeys();
        environment["AWS_ROLE_ARN"] = role;
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _home.Write("oidc-token", token);
        environment["AWS_ROLE_SESSION_NAME"] = "tagforge-ci";
        environment["AWS_ENDPOINT_URL_STS"] = sts.EndpointUrl;

        var result = await TagForgeCli.RunAsync(["ecr", "ensure-repo", "app", "--endpoint-url", _ecr.EndpointUrl], _home.Path, environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(sts.Requests);
        Assert.Equal("tagforge-ci", sts.Requests[0]["RoleSessionName"]);
        Assert.All(_ecr.Requests, request => Assert.Equal(FakeSts.AccessKeyId, request.AccessKeyId));
        Assert.DoesNotContain(token, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_profile_in_the_shared_credentials_file_is_used()
    {
        var environment = WithoutKeys();
        environment["AWS_SHARED_CREDENTIALS_FILE"] = _home.Write("aws/credentials-with-profile",
            $"[ci]\naws_access_key_id = {FakeEcr.TestAccessKeyId}\naws_secret_access_key = {FakeEcr.TestSecretAccessKey}\n");
        environment["AWS_PROFILE"] = "ci";

        var result = await TagForgeCli.RunAsync(["ecr", "ensure-repo", "app", "--endpoint-url", _ecr.EndpointUrl], _home.Path, environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(_ecr.Requests, request => Assert.Equal(FakeEcr.TestAccessKeyId, request.AccessKeyId));
    }

    [Fact]
    public async Task No_credentials_anywhere_exits_1_with_where_to_put_them()
    {
        var result = await TagForgeCli.RunAsync(["ecr", "login", "--print-password", "--endpoint-url", _ecr.EndpointUrl], _home.Path, WithoutKeys());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no AWS credentials found", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("AWS_WEB_IDENTITY_TOKEN_FILE", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_ecr.Requests);
    }
}
