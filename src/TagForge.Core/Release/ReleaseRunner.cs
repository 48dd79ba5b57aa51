using Microsoft.Extensions.Logging;
using TagForge.Ecr;
using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Release;

/// <summary>
/// The release entry point <c>tagforge release</c>/<c>push</c> and <see cref="Tasks.TagForgeTasks"/> share: the
/// <see cref="ReleasePipeline"/>, with ECR's repository check (or creation), login and digest confirmation when the
/// image's registry is ECR (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com</c>, or any host with
/// <see cref="EcrSettings.Force"/>), and ECR's refusal to move an IMMUTABLE tag turned into exit 3.
/// </summary>
public static class ReleaseRunner
{
    /// <summary>Runs <paramref name="request"/>, with ECR support when the image is on ECR.</summary>
    /// <exception cref="BadInputException">Bad request; creating a repository that is not on ECR.</exception>
    /// <exception cref="ExternalFailureException">docker, the engine, the registry or ECR failed.</exception>
    /// <exception cref="PolicyRefusalException">The tag holds another digest (in the registry, or an IMMUTABLE ECR tag).</exception>
    public static async Task<ReleaseResult> RunAsync(ReleaseRequest request, EcrReleaseOptions ecrOptions, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ecrOptions);
        using var ecr = EcrRelease.For(request.Image, ecrOptions.Settings, request.Environment ?? ProcessEnvironment.Instance, logger);
        if (ecr is null)
        {
            return ecrOptions.CreateRepository
                ? throw new BadInputException(
                    $"{ecrOptions.CreateRepositoryName} works for Amazon ECR repositories; '{request.Image}' is not on ECR ({ecrOptions.ForceName} for a private DNS name)")
                : await ReleasePipeline.RunAsync(request, logger, cancellationToken).ConfigureAwait(false);
        }

        var prepared = await ecr.PrepareAsync(request, ecrOptions.CreateRepository, ecrOptions.ImmutableTags, cancellationToken).ConfigureAwait(false);
        ReleaseResult result;
        try
        {
            result = await ReleasePipeline.RunAsync(prepared, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalFailureException ex) when (EcrRelease.AsTagConflict(ex, request.Image, request.FixedTag ?? "(the new tag)") is { } conflict)
        {
            throw conflict;
        }

        await ecr.ConfirmAsync(result, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
