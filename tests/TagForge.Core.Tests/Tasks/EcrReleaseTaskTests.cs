using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Tasks;

/// <summary>
/// <c>TagForgeTasks.Release</c> to "ECR": the real Docker engine, the fake ECR and the real registry behind it
/// (docker-registry with htpasswd auth only the fake's authorization token opens). Needs: Docker, docker-registry, htpasswd.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public sealed class EcrReleaseTaskTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("ecr-task");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Releases_to_ECR_with_only_AWS_credentials_creating_the_repository()
    {
        using var repository = await SampleApp.CreateAsync();
        Directory.CreateDirectory(_home.Combine("docker"));
        var environment = _ecr.ClientEnvironment(_home)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value!);
        environment["AWS_ENDPOINT_URL_ECR"] = _ecr.EndpointUrl;
        environment["DOCKER_CONFIG"] = _home.Combine("docker");
        environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "";

        var result = await TagForgeTasks.ReleaseAsync(
            s => s.SetWorkingDirectory(repository.Path).SetEnvironment(environment).SetImage($"{_ecr.Registry.Host}/app").EnableEcr().EnableCreateRepository().EnableRemoveLocal(),
            TestContext.Current.CancellationToken);

        Assert.Equal(result.Digest, await _ecr.RegistryDigestAsync("app", result.Tag));
        Assert.Contains("DescribeImages", _ecr.Requests.Select(r => r.Operation));
    }
}
