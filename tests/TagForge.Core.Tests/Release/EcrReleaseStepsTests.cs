using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Containers;
using TagForge.Ecr;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Values;

namespace TagForge.Release;

public sealed class EcrReleaseStepsTests
{
    [Fact]
    public void Maps_dockers_report_of_ECRs_immutable_refusal_to_the_overwrite_guards_exit_3()
    {
        var failure = new DockerCommandException("docker push failed (exit 1)", 1,
            ["tag invalid: The image tag 'v1.2' already exists in the 'app' repository and cannot be overwritten because the repository is immutable."]);

        var conflict = EcrReleaseSteps.AsTagConflict(failure, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", "fallback");

        Assert.NotNull(conflict);
        Assert.Equal(ExitCode.PolicyRefusal, conflict.ExitCode);
        Assert.StartsWith("tag v1.2 already exists in 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", conflict.Message, StringComparison.Ordinal);
        Assert.Null(EcrReleaseSteps.AsTagConflict(new ExternalFailureException("docker push failed: connection refused"), "app", "v1"));
    }

    [Fact]
    public void Only_ECR_images_get_ECR_steps_unless_forced()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1" });
        using var detected = new EcrRegistryAuthenticator(new EcrSettings(), environment);
        using var forced = new EcrRegistryAuthenticator(new EcrSettings(Force: true), environment);

        Assert.NotNull(EcrReleaseSteps.For(ImageReference.Parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app"), detected, NullLogger.Instance));
        Assert.NotNull(EcrReleaseSteps.For(ImageReference.Parse("registry.internal.example/app"), forced, NullLogger.Instance));
        Assert.Null(EcrReleaseSteps.For(ImageReference.Parse("registry.internal.example/app"), detected, NullLogger.Instance));
        Assert.Null(EcrReleaseSteps.For(ImageReference.Parse("nginx"), detected, NullLogger.Instance));
    }
}
