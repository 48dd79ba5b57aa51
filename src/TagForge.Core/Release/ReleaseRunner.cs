using TagForge.Errors;
using TagForge.Records;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// The entry point of <c>tagforge build</c> and <c>push</c> (a release's halves), and of the build-script tasks of
/// the same names, and the one step every release runs per image and platform (<see cref="RunStepAsync"/>; a whole
/// release is a plan: <c>Engine.ReleaseEngine</c>): layers the request (<see cref="ReleaseConfiguration"/>), opens the registry through the one factory, runs the
/// <see cref="ReleasePipeline"/>, and, when the image's registry is ECR (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com</c>,
/// or any host under <see cref="Ecr.EcrSettings.Force"/>), ECR's repository check, digest confirmation and exit 3 for
/// an IMMUTABLE tag (<see cref="EcrReleaseSteps"/>).
/// </summary>
public static class ReleaseRunner
{
    /// <summary>Runs <paramref name="request"/> with <paramref name="services"/>.</summary>
    /// <exception cref="BadInputException">Bad request or config, missing Dockerfile, corrupt or read-only record, creating a repository that is not on ECR (exit 2).</exception>
    /// <exception cref="ExternalFailureException">docker, the engine, the registry or ECR failed (exit 1).</exception>
    /// <exception cref="PolicyRefusalException">The tag holds another digest (in the registry, or an IMMUTABLE ECR tag), or the tree is dirty under <c>--dirty fail</c> (exit 3).</exception>
    public static async Task<ReleaseResult> RunAsync(ReleaseRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (!request.SkipBuild && !request.SkipPush)
        {
            throw new ArgumentException("a release (build and push) runs as a plan: ReleaseEngine.ReleaseOneAsync", nameof(request));
        }

        var layered = ReleaseConfiguration.Layer(request, services);
        if (PlatformNames.Split(layered.Platform).Count > 1)
        {
            throw new BadInputException($"several platforms ({layered.Platform}) make an index: release them with tagforge release (the release engine), not as one build");
        }

        layered = layered with { ContentIdentity = layered.ContentIdentity ?? ReleaseIdentity.Of(layered, services) };
        if (layered.RecordPath is { } recordPath && !layered.SkipPush)
        {
            // A record that cannot take the entry fails the release before anything is pushed.
            BuildRecordStore.CheckWritable(services.Resolve(recordPath)!);
        }

        var result = await RunStepAsync(layered, services, cancellationToken).ConfigureAwait(false);
        if (result.Record is { } image)
        {
            await ReleaseOutputs.WriteAllAsync(services.Environment, image, layered.SkipPush ? null : services.Resolve(layered.RecordPath), layered.RecordPath, services.Resolve(layered.DotenvPath), cancellationToken).ConfigureAwait(false);
        }

        return result with { RecordPath = layered.SkipPush ? null : layered.RecordPath };
    }

    /// <summary>
    /// One image for one platform, layered already: ECR's steps around the <see cref="ReleasePipeline"/>. Writes no
    /// record and no output: the caller writes them once, from the final result.
    /// </summary>
    internal static async Task<ReleaseResult> RunStepAsync(ReleaseRequest layered, TagForgeServices services, CancellationToken cancellationToken)
    {
        var repository = Repository(layered);
        using var registry = layered.SkipPush ? null : services.Registries.Open(layered.Registry with { CredentialRegistry = repository.Registry });
        var ecr = EcrReleaseSteps.For(repository, services.Ecr(layered.Ecr), services.Logger);
        if (ecr is null)
        {
            return CreateRepositoryProblem(layered, ecr) is { } problem
                ? throw new BadInputException(problem)
                : await ReleasePipeline.RunAsync(layered, repository, services, registry, cancellationToken).ConfigureAwait(false);
        }

        await ecr.PrepareAsync(layered, cancellationToken).ConfigureAwait(false);
        ReleaseResult result;
        try
        {
            result = await ReleasePipeline.RunAsync(layered, repository, services, registry, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalFailureException ex) when (EcrReleaseSteps.AsTagConflict(ex, layered.Image!, layered.FixedTag ?? "(the new tag)") is { } conflict)
        {
            throw conflict;
        }

        await ecr.ConfirmAsync(result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Why the request cannot create its repository (it is not on ECR), or null.</summary>
    internal static string? CreateRepositoryProblem(ReleaseRequest layered, EcrReleaseSteps? ecr) =>
        layered.CreateRepository && ecr is null
            ? $"{layered.OptionNames.CreateRepository} works for Amazon ECR repositories; '{layered.Image}' is not on ECR ({layered.OptionNames.ForceEcr} for a private DNS name)"
            : null;

    /// <summary>The layered request's repository, which must name no tag or digest (TagForge makes the tag).</summary>
    internal static ImageReference Repository(ReleaseRequest layered)
    {
        if (!ImageReference.TryParse(layered.Image, out var repository, out var problem))
        {
            throw new BadInputException($"--image: {problem}");
        }

        return repository.Tag is not null || repository.Digest is not null
            ? throw new BadInputException($"--image '{layered.Image}' names a tag or digest; give the repository only (TagForge makes the tag)")
            : repository;
    }
}
