using Microsoft.Extensions.Logging;
using TagForge.Containers;
using TagForge.Errors;
using TagForge.Git;
using TagForge.Registry;
using TagForge.Tagging;
using TagForge.Values;

namespace TagForge.Release;

internal static partial class ReleasePipeline
{
    private sealed partial class Run
    {
        /// <summary>
        /// A builder that builds and pushes in one step (<c>dotnet publish -t:PublishContainer</c>): the guard goes
        /// BEFORE (the SDK would overwrite the tag), then the publish, the registry's confirmation and the record.
        /// </summary>
        private async Task<ReleaseResult> PublishInOneStepAsync(TagResult tagResult, long? sequence, Func<long, TagResult> render, CancellationToken cancellationToken)
        {
            if (request.SkipPush || request.SkipBuild)
            {
                throw new BadInputException("--builder dotnet builds and pushes in one step (dotnet publish -t:PublishContainer): use tagforge release");
            }

            if (request.Project is not { } project)
            {
                throw new BadInputException("--builder dotnet needs the app's project: pass --project PATH (a .csproj), set TAGFORGE_PROJECT, or put project: in tagforge.yml");
            }

            if (request.AdditionalTags.Count > 0)
            {
                throw new BadInputException("--extra-tag is not supported with --builder dotnet (TagForge guards and confirms the one tag the SDK pushes)");
            }

            var tag = tagResult.Tag;
            var attempts = sequence is null ? 1 : Math.Max(1, request.MaxSequenceAttempts ?? 5);
            for (var attempt = 1; ; attempt++)
            {
                var taken = await Registry.HeadManifestAsync(repository.With(tag, null), cancellationToken).ConfigureAwait(false);
                if (taken is null)
                {
                    break;
                }

                if (await RerunOfThisPublishAsync(tag, taken.Digest, tagResult, cancellationToken).ConfigureAwait(false) is { } theirs)
                {
                    return await FinishAsync(tagResult, tag, taken.Digest, theirs.ToString(), [tag], pushed: false, removeLocal: false, cancellationToken).ConfigureAwait(false);
                }

                if (sequence is not null && attempt < attempts)
                {
                    sequence++;
                    tagResult = render(sequence.Value);
                    logger.LogWarning("{Repository}:{Tag} was taken meanwhile ({Digest}); trying {Next}", repository.Name, tag, taken.Digest, tagResult.Tag);
                    tag = tagResult.Tag;
                    continue;
                }

                if (request.AllowOverwrite)
                {
                    logger.LogWarning("overwriting {Repository}:{Tag} (was {Digest}) because --allow-overwrite was given", repository.Name, tag, taken.Digest);
                    break;
                }

                throw new PolicyRefusalException(
                    $"{repository.Name}:{tag} already exists in {repository.Registry} with digest {taken.Digest}, and dotnet publish would overwrite it with another build; refusing (use a unique tag, or --allow-overwrite)");
            }

            logger.LogInformation("publishing {Image} with dotnet publish -t:PublishContainer", LocalName(tag));
            var labels = ReleaseBuild.Request(request, repository, tagResult, services.Environment).Labels
                .Where(label => label.Key is not ("org.opencontainers.image.created" or "org.opencontainers.image.version")).ToList();
            var publisher = ReleaseBuilders.Publisher(request, services);
            var target = ReleaseBuilders.Target(request, repository.Registry, await ReadyAsync().ConfigureAwait(false));
            var published = await publisher.PublishAsync(
                new DotnetPublishRequest
                {
                    Project = project,
                    Registry = repository.Registry,
                    Repository = repository.Repository,
                    Tag = tag,
                    Labels = labels,
                    Credential = target.Credential,
                    PlainHttp = target.PlainHttp,
                    ExtraArguments = request.ExtraBuildArguments,
                },
                cancellationToken).ConfigureAwait(false);
            var remote = await PushConfirmation.ConfirmAsync(Registry, repository.With(tag, null), cancellationToken).ConfigureAwait(false)
                ?? throw new ExternalFailureException($"registry {repository.Registry} does not have {repository.Name}:{tag} right after dotnet publish (HTTP 404)");
            if (remote.Digest != published)
            {
                throw new ExternalFailureException(
                    $"registry {repository.Registry} holds {repository.Name}:{tag} as {remote.Digest}, not {published} that dotnet publish pushed; another push replaced it");
            }

            var imageId = remote.Document.Config?.Digest;
            logger.LogInformation("pushed {Repository}:{Tag} = {Digest} (confirmed by the registry)", repository.Name, tag, remote.Digest);
            return await FinishAsync(tagResult, tag, remote.Digest, imageId?.ToString() ?? "", [tag], pushed: true, removeLocal: false, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// A rerun of a dotnet publish: the SDK builds from the project, not from a context TagForge can hash, so the
        /// image is this build's when the tree is clean and its labels name this commit and this CI build.
        /// </summary>
        private async Task<Digest?> RerunOfThisPublishAsync(string tag, Digest remoteDigest, TagResult tagResult, CancellationToken cancellationToken)
        {
            if (await RerunOfThisBuildAsync(tag, remoteDigest, cancellationToken).ConfigureAwait(false) is { } byIdentity)
            {
                return byIdentity;
            }

            if (request.SkipLabels || request.AllowOverwrite)
            {
                return null;
            }

            using (var git = GitRepositoryReader.Open(tagResult.RepositoryRoot))
            {
                if (git.IsDirty())
                {
                    return null;
                }
            }

            var config = await Registry.GetImageConfigAsync(repository.With(tag, remoteDigest), cancellationToken).ConfigureAwait(false);
            if (config is null
                || config.Labels.GetValueOrDefault(ReleaseBuild.RevisionLabel) != tagResult.Commit
                || config.Labels.GetValueOrDefault(ReleaseBuild.BuildLabel) != ReleaseBuild.BuildIdentity(tagResult))
            {
                return null;
            }

            logger.LogInformation(
                "{Repository}:{Tag} already holds {Digest}, published from this commit by this same build ({Build}); a rerun: nothing pushed, the registry's digest recorded",
                repository.Name, tag, remoteDigest, ReleaseBuild.BuildIdentity(tagResult));
            return config.ConfigDigest;
        }
    }
}
