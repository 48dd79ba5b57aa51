using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Operations;

/// <summary>Verify against a real registry. Needs: docker-registry (<see cref="LocalRegistry"/>).</summary>
public sealed class VerifyOperationTests
{
    [Fact]
    public async Task A_deleted_digest_is_a_missing_finding_and_a_kept_one_is_not()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var kept = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "kept");
        var deleted = await RegistryUploads.PushAsync(registry, "shop/api", "0.9", "deleted");
        await RegistryUploads.DeleteAsync(registry, "shop/api", deleted);
        using var directory = new TempDirectory("verify-op");
        directory.Write("pod.yaml", Samples.Pod($"{registry.Host}/shop/api:1.0@{kept}", $"{registry.Host}/shop/api:0.9@{deleted}", "nginx:1.25"));

        using var services = Samples.In(directory);
        var result = await VerifyOperation.RunAsync(new VerifyRequest { Paths = ["pod.yaml"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.PolicyRefusal, result.ExitCode);
        var missing = Assert.Single(result.Findings);
        Assert.Equal(("pod.yaml", 10, "missing"), (missing.File, missing.Line, missing.Code));
        Assert.Equal((2, 2), (result.Pinned, result.Requests));
        Assert.Equal("verified 2 pinned images (2 distinct digests): 1 missing, 0 not checked", result.Summary);
    }

    [Fact]
    public async Task An_unreachable_registry_is_a_failure_and_exit_code_1_never_a_missing_digest()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var digest = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "x");
        await registry.StopAsync();
        using var directory = new TempDirectory("verify-op");
        directory.Write("pod.yaml", Samples.Pod($"{registry.Host}/shop/api@{digest}"));

        using var services = Samples.In(directory);
        var result = await VerifyOperation.RunAsync(
            new VerifyRequest { Paths = ["pod.yaml"], Registry = new Services.RegistryAccess { MaxRetryAttempts = 0 } }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.ExternalFailure, result.ExitCode);
        Assert.Empty(result.Findings);
        Assert.StartsWith($"cannot verify {registry.Host}/shop/api@{digest}", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
    }
}
