using TagForge.Ecr;
using TagForge.Errors;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Operations;

/// <summary>Promote to an ECR destination, against the fake ECR in front of a real registry. Needs: docker-registry, htpasswd.</summary>
public sealed class PromoteEcrTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("promote-ecr");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    private PromoteRequest Promote(string source, string destination, bool allowOverwrite = false) => new()
    {
        Source = $"{_ecr.Registry.Host}/{source}",
        Destination = destination,
        AllowOverwrite = allowOverwrite,
        Registry = new Services.RegistryAccess { Ecr = new EcrSettings(Force: true), MaxRetryAttempts = 0 },
    };

    [Fact]
    public async Task A_retag_in_ecr_is_a_PutImage_of_the_same_digest()
    {
        _ecr.AddRepository("app");
        var build = await _ecr.PushImageAsync("app", "build-7");
        using var services = FakeEcrServices.Create(_ecr, _home);

        var result = await PromoteOperation.RunAsync(Promote("app:build-7", "prod"), services, TestContext.Current.CancellationToken);

        Assert.Equal(build, result.Digest.ToString());
        Assert.Equal(build, await _ecr.RegistryDigestAsync("app", "prod"));
        Assert.Contains(_ecr.Requests, request => request.Operation == "PutImage" && request.ErrorType is null);
    }

    [Fact]
    public async Task An_immutable_repository_refuses_to_move_a_tag_with_exit_3_even_with_allow_overwrite()
    {
        _ecr.AddRepository("app", immutable: true);
        var build = await _ecr.PushImageAsync("app", "build-7");
        var released = await _ecr.PushImageAsync("app", "prod");
        using var services = FakeEcrServices.Create(_ecr, _home);

        var ex = await Assert.ThrowsAsync<EcrTagConflictException>(() =>
            PromoteOperation.RunAsync(Promote("app:build-7", "prod", allowOverwrite: true), services, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCode.PolicyRefusal, ex.ExitCode);
        Assert.Contains("IMMUTABLE", ex.Message, StringComparison.Ordinal);
        Assert.Equal(released, await _ecr.RegistryDigestAsync("app", "prod"));
        Assert.NotEqual(build, released);
    }
}
