using TagForge.Ecr;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Operations;

/// <summary>
/// Prune of an ECR repository: the plan and the re-checks through the registry API with ECR credentials, the deletes
/// through ECR's BatchDeleteImage, against the fake ECR (which checks the wire protocol) in front of a real registry.
/// Needs: docker-registry, htpasswd.
/// </summary>
public sealed class PruneEcrTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("prune-ecr");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Apply_deletes_what_the_pinned_task_definition_does_not_reference()
    {
        _ecr.AddRepository("app");
        var deployed = await _ecr.PushImageAsync("app", "1.0");
        var old = await _ecr.PushImageAsync("app", "0.9");
        _home.Write("task.json", $"{{\"containerDefinitions\": [{{\"name\": \"app\", \"image\": \"{_ecr.Registry.Host}/app@{deployed}\"}}]}}");
        using var services = FakeEcrServices.Create(_ecr, _home);

        var result = await PruneOperation.RunAsync(
            new PruneRequest
            {
                Repository = $"{_ecr.Registry.Host}/app",
                KeepPinned = [_home.Combine("task.json")],
                Apply = true,
                Registry = new Services.RegistryAccess { Ecr = new EcrSettings(Force: true), MaxRetryAttempts = 0 },
            },
            services,
            TestContext.Current.CancellationToken);

        Assert.Equal([old], result.Deleted.Select(digest => digest.ToString()));
        Assert.Null(await _ecr.RegistryDigestAsync("app", "0.9"));
        Assert.Equal(deployed, await _ecr.RegistryDigestAsync("app", "1.0"));
        Assert.Equal([old], _ecr.DeletedDigests);
    }

    [Fact]
    public async Task Apply_deletes_through_batch_delete_image_at_most_100_a_call()
    {
        _ecr.AddRepository("app");
        var deployed = await _ecr.PushImageAsync("app", "prod");
        var old = new List<string>();
        for (var i = 0; i < 130; i++)
        {
            old.Add(await _ecr.PushImageAsync("app", $"0.{i}"));
        }

        _home.Write("task.json", $"{{\"containerDefinitions\": [{{\"name\": \"app\", \"image\": \"{_ecr.Registry.Host}/app:prod\"}}]}}");
        using var services = FakeEcrServices.Create(_ecr, _home);

        var result = await PruneOperation.RunAsync(
            new PruneRequest
            {
                Repository = $"{_ecr.Registry.Host}/app",
                KeepPinned = [_home.Combine("task.json")],
                Apply = true,
                Registry = new Services.RegistryAccess { Ecr = new EcrSettings(Force: true), MaxRetryAttempts = 0 },
            },
            services,
            TestContext.Current.CancellationToken);

        var batches = _ecr.Requests.Where(request => request.Operation == "BatchDeleteImage").ToList();
        Assert.Equal([100, 30], batches.Select(request => System.Text.Json.JsonDocument.Parse(request.Body).RootElement.GetProperty("imageIds").GetArrayLength()));
        Assert.All(batches, request => Assert.Null(request.ErrorType));
        Assert.Equal(130, result.Deleted.Count);
        Assert.Equal(old.Order(StringComparer.Ordinal), _ecr.DeletedDigests.Order(StringComparer.Ordinal));
        Assert.Equal(deployed, await _ecr.RegistryDigestAsync("app", "prod"));
        Assert.Null(await _ecr.RegistryDigestAsync("app", "0.7"));
    }
}
