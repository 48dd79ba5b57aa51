using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Containers;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Release;
using TagForge.Services;

namespace TagForge.Ecr;

public sealed class EcrReleaseTests
{
    [Fact]
    public void Maps_dockers_report_of_ECRs_immutable_refusal_to_the_overwrite_guards_exit_3()
    {
        var failure = new DockerCommandException("docker push failed (exit 1)", 1,
            ["tag invalid: The image tag 'v1.2' already exists in the 'app' repository and cannot be overwritten because the repository is immutable."]);

        var conflict = EcrRelease.AsTagConflict(failure, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", "fallback");

        Assert.NotNull(conflict);
        Assert.Equal(ExitCode.PolicyRefusal, conflict.ExitCode);
        Assert.StartsWith("tag v1.2 already exists in 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", conflict.Message, StringComparison.Ordinal);
        Assert.Null(EcrRelease.AsTagConflict(new ExternalFailureException("docker push failed: connection refused"), "app", "v1"));
    }

    [Fact]
    public void Only_ECR_images_get_ECR_support_unless_forced()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1" });

        using var ecr = EcrRelease.For("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", new EcrSettings(), environment, NullLogger.Instance);
        using var forced = EcrRelease.For("registry.internal.example/app", new EcrSettings(Force: true), environment, NullLogger.Instance);

        Assert.NotNull(ecr);
        Assert.Equal("eu-west-1", ecr.Client.Region);
        Assert.NotNull(forced);
        Assert.Null(EcrRelease.For("registry.internal.example/app", new EcrSettings(), environment, NullLogger.Instance));
        Assert.Null(EcrRelease.For("nginx", new EcrSettings(), environment, NullLogger.Instance));
    }

    [Fact]
    public void A_MUTABLE_repository_gets_a_warning_and_an_IMMUTABLE_one_none()
    {
        var mutable = new EcrRepository("app", null, null, null, "MUTABLE", null);
        var immutable = mutable with { ImageTagMutability = "IMMUTABLE" };

        Assert.Contains("has MUTABLE tags", EcrRepositories.MutabilityWarning(mutable, "r.example"), StringComparison.Ordinal);
        Assert.Null(EcrRepositories.MutabilityWarning(immutable, "r.example"));
    }

    [Fact]
    public async Task Without_AWS_credentials_the_ECR_source_passes_an_ECR_host_on_to_dockers_config()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string>());
        using var authenticator = new EcrRegistryAuthenticator(new EcrSettings(), environment, new NoCredentials());
        using var source = new EcrCredentialSource(authenticator);

        Assert.Null(await source.GetAsync("123456789012.dkr.ecr.eu-west-1.amazonaws.com", TestContext.Current.CancellationToken));
        Assert.Null(await source.GetAsync("ghcr.io", TestContext.Current.CancellationToken));
    }

    private sealed class NoCredentials : IAwsCredentialSource
    {
        public Task<AwsCredentials> GetAsync(CancellationToken cancellationToken = default) =>
            throw new AwsCredentialsNotFoundException("no AWS credentials found");
    }
}
