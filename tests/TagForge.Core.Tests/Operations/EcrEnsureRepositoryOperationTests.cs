using TagForge.Errors;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Operations;

/// <summary><see cref="EcrEnsureRepositoryOperation"/> against the fake ECR. Needs: docker-registry, htpasswd.</summary>
public sealed class EcrEnsureRepositoryOperationTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("ecr-ensure-op");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Creates_a_missing_repository_in_the_callers_own_registry_then_finds_it_as_it_is()
    {
        using var services = FakeEcrServices.Create(_ecr, _home);
        var ct = TestContext.Current.CancellationToken;

        var created = await EcrEnsureRepositoryOperation.RunAsync(new EcrEnsureRepositoryRequest { Name = "team/app", ImmutableTags = true, ScanOnPush = true }, services, ct);
        var found = await EcrEnsureRepositoryOperation.RunAsync(new EcrEnsureRepositoryRequest { Name = "team/app" }, services, ct);

        Assert.Equal(new EcrEnsureRepositoryResult("team/app", $"{_ecr.Registry.Host}/team/app", "IMMUTABLE", ScanOnPush: true, Created: true, KeptMutableTags: false), created);
        Assert.Equal(created with { Created = false }, found);
        Assert.Equal("IMMUTABLE", _ecr.TagMutabilityOf("team/app"));
    }

    [Fact]
    public async Task Asking_an_existing_MUTABLE_repository_for_immutable_tags_leaves_it_and_says_it_kept_them()
    {
        _ecr.AddRepository("app");
        using var services = FakeEcrServices.Create(_ecr, _home);

        var result = await EcrEnsureRepositoryOperation.RunAsync(new EcrEnsureRepositoryRequest { Name = "app", ImmutableTags = true }, services, TestContext.Current.CancellationToken);

        Assert.False(result.Created);
        Assert.Equal("MUTABLE", result.TagMutability);
        Assert.True(result.KeptMutableTags);
        Assert.Equal("MUTABLE", _ecr.TagMutabilityOf("app"));
    }

    [Theory]
    [InlineData("Team/App", "'Team/App' is not an ECR repository name (lowercase letters, digits, . _ - and /)")]
    [InlineData("registry.example.com/app", "'registry.example.com' is not an Amazon ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com); pass --ecr (and --region) for a private DNS name")]
    public async Task A_bad_name_or_a_registry_that_is_not_ECR_is_bad_input_and_asks_ECR_nothing(string name, string message)
    {
        using var services = FakeEcrServices.Create(_ecr, _home);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => EcrEnsureRepositoryOperation.RunAsync(new EcrEnsureRepositoryRequest { Name = name }, services, TestContext.Current.CancellationToken));

        Assert.Equal(message, ex.Message);
        Assert.Empty(_ecr.Requests);
    }
}
