using System.Text;
using System.Text.Json;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Cli.Tests.Ecr;

/// <summary>
/// Proves the fake ECR faithful with the real AWS CLI (Debian's awscli 2.9, /usr/bin/aws): the CLI signs with its own
/// SigV4 (botocore), the fake verifies it, and the CLI parses the fake's answers and error shapes. If the AWS CLI and
/// the fake disagree, the fake is wrong. Needs: awscli, docker-registry, htpasswd.
/// </summary>
public sealed class AwsCliFidelityTests : IAsyncLifetime
{
    private const string AwsCli = "/usr/bin/aws";
    private readonly TempDirectory _home = new("awscli");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    private async Task<(ProcessResult Result, JsonElement? Json)> AwsAsync(IReadOnlyDictionary<string, string?>? extra, params string[] arguments)
    {
        var environment = _ecr.ClientEnvironment(_home);
        environment["HOME"] = _home.Path;
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        var result = await ProcessRunner.RunAsync(AwsCli, ["ecr", .. arguments, "--endpoint-url", _ecr.EndpointUrl, "--output", "json"], _home.Path, environment,
            cancellationToken: TestContext.Current.CancellationToken);
        JsonElement? json = result.ExitCode == 0 && result.StandardOutput.Trim().StartsWith('{') ? JsonDocument.Parse(result.StandardOutput).RootElement : null;
        return (result, json);
    }

    private Task<(ProcessResult Result, JsonElement? Json)> AwsAsync(params string[] arguments) => AwsAsync(null, arguments);

    [Fact]
    public async Task The_AWS_CLI_creates_and_describes_repositories_through_the_fake()
    {
        var (created, createdJson) = await AwsAsync("create-repository", "--repository-name", "team/app", "--image-tag-mutability", "IMMUTABLE", "--image-scanning-configuration", "scanOnPush=true");
        var (described, describedJson) = await AwsAsync("describe-repositories");

        Assert.True(created.ExitCode == 0, created.ToString());
        var repository = createdJson!.Value.GetProperty("repository");
        Assert.Equal("team/app", repository.GetProperty("repositoryName").GetString());
        Assert.Equal("IMMUTABLE", repository.GetProperty("imageTagMutability").GetString());
        Assert.True(repository.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        Assert.True(described.ExitCode == 0, described.ToString());
        Assert.Equal("team/app", describedJson!.Value.GetProperty("repositories")[0].GetProperty("repositoryName").GetString());
        Assert.Equal("IMMUTABLE", _ecr.TagMutabilityOf("team/app"));
        Assert.All(_ecr.Requests, request =>
        {
            Assert.Null(request.ErrorType);
            Assert.Contains("aws-cli/", request.UserAgent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_AWS_CLI_reads_the_fakes_RepositoryNotFoundException_like_ECRs()
    {
        var (result, _) = await AwsAsync("describe-repositories", "--repository-names", "missing");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(
            "An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation: The repository with name 'missing' does not exist in the registry with id '123456789012'",
            result.StandardError,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_AWS_CLI_gets_an_authorization_token_the_real_registry_accepts()
    {
        var (result, json) = await AwsAsync("get-authorization-token");
        var (password, _) = await AwsAsync("get-login-password");

        Assert.True(result.ExitCode == 0, result.ToString());
        var data = json!.Value.GetProperty("authorizationData")[0];
        var token = Encoding.UTF8.GetString(Convert.FromBase64String(data.GetProperty("authorizationToken").GetString()!));
        Assert.Equal("AWS:" + _ecr.RegistryPassword, token);
        Assert.Equal($"http://{_ecr.Registry.Host}", data.GetProperty("proxyEndpoint").GetString());
        var expiresAt = DateTimeOffset.Parse(data.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddHours(11), DateTimeOffset.UtcNow.AddHours(13));
        Assert.Equal(_ecr.RegistryPassword, password.StandardOutput.Trim());

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_ecr.Registry.BaseUri, "v2/"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", data.GetProperty("authorizationToken").GetString());
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_AWS_CLI_describes_an_image_the_registry_holds_with_the_same_digest()
    {
        _ecr.AddRepository("app");
        var digest = await _ecr.PushImageAsync("app", "v1");

        var (result, json) = await AwsAsync("describe-images", "--repository-name", "app", "--image-ids", "imageTag=v1");
        var (missing, _) = await AwsAsync("describe-images", "--repository-name", "app", "--image-ids", "imageTag=nope");

        Assert.True(result.ExitCode == 0, result.ToString());
        var detail = json!.Value.GetProperty("imageDetails")[0];
        Assert.Equal(digest, detail.GetProperty("imageDigest").GetString());
        Assert.Equal("v1", detail.GetProperty("imageTags")[0].GetString());
        Assert.Contains("An error occurred (ImageNotFoundException) when calling the DescribeImages operation", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fake_rejects_the_AWS_CLIs_signature_made_with_a_wrong_secret()
    {
        var (result, _) = await AwsAsync(new Dictionary<string, string?> { ["AWS_SECRET_ACCESS_KEY"] = "wrong" }, "describe-repositories");
        var (unknown, _) = await AwsAsync(new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKIAUNKNOWNKEY000000" }, "describe-repositories");

        Assert.Contains("An error occurred (InvalidSignatureException) when calling the DescribeRepositories operation: The request signature we calculated does not match", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("An error occurred (UnrecognizedClientException) when calling the DescribeRepositories operation: The security token included in the request is invalid.", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_AWS_CLI_retries_the_fakes_throttling_like_ECRs()
    {
        _ecr.ThrottleNext(1);

        var (result, _) = await AwsAsync("describe-repositories");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["ThrottlingException", null], _ecr.Requests.Select(r => r.ErrorType));
    }

    [Fact]
    public async Task The_AWS_CLI_tags_registry_side_with_batch_get_image_and_put_image_and_reads_the_immutable_refusal()
    {
        _ecr.AddRepository("locked", immutable: true);
        var digest = await _ecr.PushImageAsync("locked", "build-1");
        await _ecr.PushImageAsync("locked", "v1");

        var (got, gotJson) = await AwsAsync("batch-get-image", "--repository-name", "locked", "--image-ids", "imageTag=build-1");
        Assert.True(got.ExitCode == 0, got.ToString());
        var image = gotJson!.Value.GetProperty("images")[0];
        Assert.Equal(digest, image.GetProperty("imageId").GetProperty("imageDigest").GetString());
        var manifest = image.GetProperty("imageManifest").GetString()!;

        var (put, putJson) = await AwsAsync("put-image", "--repository-name", "locked", "--image-tag", "v1.1", "--image-manifest", manifest);
        var (refused, _) = await AwsAsync("put-image", "--repository-name", "locked", "--image-tag", "v1", "--image-manifest", manifest);

        Assert.True(put.ExitCode == 0, put.ToString());
        Assert.Equal(digest, putJson!.Value.GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString());
        Assert.Equal(digest, await _ecr.RegistryDigestAsync("locked", "v1.1"));
        Assert.Contains(
            "An error occurred (ImageTagAlreadyExistsException) when calling the PutImage operation: The image tag 'v1' already exists in the 'locked' repository and cannot be overwritten because the repository is immutable.",
            refused.StandardError,
            StringComparison.Ordinal);
    }
}
