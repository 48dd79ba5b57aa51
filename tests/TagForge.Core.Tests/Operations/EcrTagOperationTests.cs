using TagForge.Ecr;
using TagForge.Errors;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Operations;

/// <summary><see cref="EcrTagOperation"/> against the fake ECR in front of a real registry. Needs: docker-registry, htpasswd.</summary>
public sealed class EcrTagOperationTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("ecr-tag-op");
    private FakeEcr _ecr = null!;

    public async ValueTask InitializeAsync() => _ecr = await FakeEcr.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _ecr.DisposeAsync();
        _home.Dispose();
    }

    private static EcrTagRequest Tag(string source, string newTag) => new() { Source = source, NewTag = newTag, Ecr = new EcrSettings(Force: true) };

    [Fact]
    public async Task Tags_an_image_registry_side_and_answers_the_pinned_target_then_changes_nothing_the_second_time()
    {
        _ecr.AddRepository("app", immutable: true);
        var build = await _ecr.PushImageAsync("app", "build-7");
        using var services = FakeEcrServices.Create(_ecr, _home);
        var ct = TestContext.Current.CancellationToken;

        var tagged = await EcrTagOperation.RunAsync(Tag($"{_ecr.Registry.Host}/app:build-7", "v1.1"), services, ct);
        var again = await EcrTagOperation.RunAsync(Tag($"{_ecr.Registry.Host}/app@{build}", "v1.1"), services, ct);

        Assert.True(tagged.Changed);
        Assert.Equal(build, tagged.Digest.ToString());
        Assert.Equal($"{_ecr.Registry.Host}/app:v1.1@{build}", tagged.Target.ToString());
        Assert.Equal(build, await _ecr.RegistryDigestAsync("app", "v1.1"));
        Assert.False(again.Changed);
        Assert.Equal(tagged.Target, again.Target);
    }

    [Fact]
    public async Task Refuses_to_move_a_tag_that_points_at_another_image_with_exit_3()
    {
        _ecr.AddRepository("app");
        var build = await _ecr.PushImageAsync("app", "build-7");
        var released = await _ecr.PushImageAsync("app", "v1.0");
        using var services = FakeEcrServices.Create(_ecr, _home);

        var ex = await Assert.ThrowsAsync<EcrTagConflictException>(() =>
            EcrTagOperation.RunAsync(Tag($"{_ecr.Registry.Host}/app:build-7", "v1.0"), services, TestContext.Current.CancellationToken));

        Assert.Equal(ExitCode.PolicyRefusal, ex.ExitCode);
        Assert.Equal($"tag v1.0 already exists in app with digest {released}; refusing to overwrite it with {build}", ex.Message);
        Assert.Equal(released, await _ecr.RegistryDigestAsync("app", "v1.0"));
    }

    [Theory]
    [InlineData("{registry}/app", "v2", "'{registry}/app' names no tag or digest; say which image to tag (repo:tag or repo@sha256:…)")]
    [InlineData("{registry}/app:v1", "-bad", "'-bad' is not a valid tag: ")]
    [InlineData("registry.example.com/app:v1", "v2", "'registry.example.com' is not an Amazon ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com); pass --ecr (and --region) for a private DNS name")]
    public async Task Bad_input_is_refused_before_ECR_is_asked_anything(string source, string newTag, string messageStart)
    {
        using var services = FakeEcrServices.Create(_ecr, _home);
        var request = new EcrTagRequest { Source = source.Replace("{registry}", _ecr.Registry.Host, StringComparison.Ordinal), NewTag = newTag };

        var ex = await Assert.ThrowsAsync<BadInputException>(() => EcrTagOperation.RunAsync(request, services, TestContext.Current.CancellationToken));

        Assert.StartsWith(messageStart.Replace("{registry}", _ecr.Registry.Host, StringComparison.Ordinal), ex.Message, StringComparison.Ordinal);
        Assert.Empty(_ecr.Requests);
    }
}
