using Microsoft.Extensions.Logging;
using TagForge.Containers;
using TagForge.Errors;
using TagForge.Git;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// The release's steps: make a unique tag, build, guard against overwriting, push, confirm the digest with the
/// registry, and record it. Each step either succeeds or throws a typed exception with a one-line message; nothing is
/// recorded for an image that was not pushed. <see cref="ReleaseRunner"/> is the entry point that layers the request
/// and adds ECR's steps around these.
/// </summary>
internal static class ReleasePipeline
{
    /// <summary>Runs the layered <paramref name="request"/> for <paramref name="repository"/>; <paramref name="registry"/> is null only when not pushing.</summary>
    public static async Task<ReleaseResult> RunAsync(ReleaseRequest request, ImageReference repository, TagForgeServices services, RegistrySession? registry, CancellationToken cancellationToken)
    {
        if (request.SkipBuild && request.FixedTag is null)
        {
            throw new BadInputException($"pushing without building needs the tag of the local image ({request.OptionNames.FixedTag})");
        }

        if (request.RecordPath is { } recordPath && !request.SkipPush)
        {
            // A record that cannot take the entry fails the release before anything is pushed.
            BuildRecordStore.CheckWritable(services.Resolve(recordPath)!);
        }

        if (registry is not null)
        {
            // Say what the registry is before anything is built: a wrong port fails here in a second, naming what answered.
            await registry.Client.ProbeAsync(repository, cancellationToken).ConfigureAwait(false);
        }

        // docker push needs the credentials too: explicit, environment or ECR ones go to docker through a throwaway
        // config; otherwise docker uses its own login as always.
        var pushCredential = registry is null ? null : await registry.ForToolsAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        var run = new Run(request, repository, ReleaseBuilders.Create(request, services), registry?.Client, pushCredential, services, services.Logger);
        var result = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        if (ReleaseBuilders.Describe(request, services) is { } builtWith)
        {
            // Remote engines and other builders are named once: the registry checks above ran from here regardless.
            services.Logger.LogInformation("built with {Builder}", builtWith);
            return result with { BuiltWith = builtWith };
        }

        return result;
    }

    private sealed class Run(
        ReleaseRequest request,
        ImageReference repository,
        IImageBuilder docker,
        IRegistryClient? registry,
        RegistryCredential? credential,
        TagForgeServices services,
        ILogger logger)
    {
        private IRegistryClient Registry => registry ?? throw new InvalidOperationException("no registry client");

        public async Task<ReleaseResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            // 1. The tag (and, for {seq}, the registry's numbering).
            var tagRequest = request.Tag;
            var environment = services.Environment;
            Func<long, TagResult> render;
            long? sequence = null;
            if (request.FixedTag is { } fixedTag)
            {
                if (ImageTag.Explain(fixedTag) is { } tagProblem)
                {
                    throw new BadInputException($"--tag '{fixedTag}': {tagProblem}");
                }

                var literal = TagGenerator.Generate(tagRequest with { Template = fixedTag, Preset = null, Dirty = DirtyMode.Ignore }, environment, services.Clock);
                using var git = GitRepositoryReader.Open(literal.RepositoryRoot);
                var fixedResult = literal with { Tag = fixedTag, Dirty = git.IsDirty() };
                render = _ => fixedResult;
            }
            else if (SequenceTags.Uses(tagRequest))
            {
                if (request.SkipPush)
                {
                    throw new BadInputException("{seq} is numbered from the registry's tags: use it with push or release");
                }

                var (pinned, pattern) = SequenceTags.Prepare(tagRequest, environment, services.Clock);
                var existing = await Registry.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false);
                sequence = SequenceTags.Next(pattern, existing);
                logger.LogInformation("{{seq}}: {Count} tags in {Repository} match; next is {Next}", existing.Count(pattern.IsMatch), repository.Name, sequence);
                render = number => TagGenerator.Generate(pinned with { Sequence = number }, environment, services.Clock);
            }
            else
            {
                var generated = TagGenerator.Generate(tagRequest, environment, services.Clock);
                render = _ => generated;
            }

            var tagResult = render(sequence ?? 0);
            var tag = tagResult.Tag;
            var local = LocalName(tag);

            if (request.Builder is BuilderKind.Dotnet)
            {
                return await PublishInOneStepAsync(tagResult, sequence, render, cancellationToken).ConfigureAwait(false);
            }

            // 2. The build. Meanwhile the registry is asked about the tag once: an unreachable registry or wrong
            // credentials stop a long build early, and the client is warm when the guard asks again afterwards.
            string imageId;
            var preflight = request.SkipPush || request.SkipBuild
                ? Task.CompletedTask
                : Registry.HeadManifestAsync(repository.With(tag, null), cancellationToken);
            if (request.SkipBuild)
            {
                imageId = await docker.GetImageIdAsync(local, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                logger.LogInformation("building {Image}", local);
                imageId = await BuildAlongsideAsync(ReleaseBuild.Request(request, repository, tagResult, environment), preflight, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("built {Image} ({ImageId})", local, imageId);
            }

            if (request.SkipPush)
            {
                return new ReleaseResult(tag, imageId, null, null, null, Pushed: false, Image: request.Image!);
            }

            // 3. The overwrite guard; a {seq} tag taken meanwhile moves on to the next number.
            var attempts = sequence is null ? 1 : Math.Max(1, request.MaxSequenceAttempts ?? 5);
            Digest? alreadyThere = null;
            for (var attempt = 1; ; attempt++)
            {
                var guard = await OverwriteGuard.CheckAsync(Registry, docker, repository.With(tag, null), local, imageId, cancellationToken).ConfigureAwait(false);
                if (guard.Kind == GuardOutcome.Absent)
                {
                    break;
                }

                if (guard.Kind == GuardOutcome.SameImage)
                {
                    alreadyThere = guard.RemoteDigest;
                    logger.LogInformation("{Repository}:{Tag} already holds this image ({Digest}); nothing to push", repository.Name, tag, guard.RemoteDigest);
                    break;
                }

                if (await RerunOfThisBuildAsync(tag, guard.RemoteDigest!, tagResult, cancellationToken).ConfigureAwait(false) is { } theirs)
                {
                    // The registry's image is this build's: record it as it is (its config), push nothing.
                    (alreadyThere, imageId) = (guard.RemoteDigest, theirs.ToString());
                    break;
                }

                if (sequence is not null && attempt < attempts)
                {
                    sequence++;
                    var next = render(sequence.Value);
                    logger.LogWarning("{Repository}:{Tag} was taken meanwhile ({Digest}); trying {Next}", repository.Name, tag, guard.RemoteDigest, next.Tag);
                    await docker.TagAsync(imageId, LocalName(next.Tag), cancellationToken).ConfigureAwait(false);
                    await docker.RemoveImagesAsync([local], cancellationToken).ConfigureAwait(false);
                    (tagResult, tag, local) = (next, next.Tag, LocalName(next.Tag));
                    continue;
                }

                if (request.AllowOverwrite)
                {
                    logger.LogWarning("overwriting {Repository}:{Tag} (was {Digest}) because --allow-overwrite was given", repository.Name, tag, guard.RemoteDigest);
                    break;
                }

                var numbered = sequence is null ? "" : $" (after {attempts} numbers)";
                throw new PolicyRefusalException(
                    $"{repository.Name}:{tag} already exists in {repository.Registry} with digest {guard.RemoteDigest}, and this build is {guard.LocalDescription}{numbered}; refusing to overwrite it (use a unique tag, or --allow-overwrite)");
            }

            // 4. Push every tag, then 5. confirm the digest with the registry.
            var tags = ReleaseBuild.Tags(request, tag);
            var digest = alreadyThere;
            var pushed = false;
            if (alreadyThere is null || request.AdditionalTags.Count > 0)
            {
                await PushAsync(imageId, tags, alreadyThere is null ? tags : [.. tags.Skip(1)], cancellationToken).ConfigureAwait(false);
                pushed = alreadyThere is null;
                digest = await ConfirmAsync(local, tag, imageId, cancellationToken).ConfigureAwait(false);
            }

            // 6. The record and the outputs; 7. the article's docker rmi, only once everything above succeeded.
            return await FinishAsync(tagResult, tag, digest!, imageId, tags, pushed, request.RemoveLocal, cancellationToken).ConfigureAwait(false);
        }

        private async Task<ReleaseResult> FinishAsync(
            TagResult tagResult, string tag, Digest digest, string imageId, IReadOnlyList<string> tags, bool pushed, bool removeLocal, CancellationToken cancellationToken)
        {
            var environment = services.Environment;
            var image = new ImageRecord(
                repository.Name,
                tag,
                digest.ToString(),
                $"{repository.Name}@{digest}",
                imageId,
                tags,
                request.Platform,
                new GitRecord(tagResult.Commit, tagResult.Branch, tagResult.Dirty),
                new BuildInfoRecord(tagResult.Provider, tagResult.BuildNumber, tagResult.BuildUrl),
                services.Clock.GetUtcNow());
            if (request.RecordPath is { } recordPath)
            {
                await BuildRecordStore.MergeAsync(services.Resolve(recordPath)!, image, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("recorded {Reference} in {Record}", image.Reference, recordPath);
            }

            if (request.DotenvPath is { } dotenv)
            {
                ReleaseOutputs.WriteDotenv(services.Resolve(dotenv)!, image);
            }

            ReleaseOutputs.WriteGitHub(environment, image, request.RecordPath);
            if (removeLocal)
            {
                await docker.RemoveImagesAsync([.. tags.Select(LocalName)], cancellationToken).ConfigureAwait(false);
            }

            return new ReleaseResult(tag, imageId, image.Digest, image.Reference, image, pushed, request.RecordPath, request.Image!);
        }

        /// <summary>
        /// Whether the tag holds an image of this very build although its bytes differ (a CI retry of a build that is not
        /// reproducible): the working tree is clean (whatever <c>--dirty</c> says) and the image's labels name this
        /// commit and this CI build. Returns the registry image's config digest then, else null.
        /// </summary>
        private async Task<Digest?> RerunOfThisBuildAsync(string tag, Digest remoteDigest, TagResult tagResult, CancellationToken cancellationToken)
        {
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
                "{Repository}:{Tag} already holds {Digest}, built from this commit by this same build ({Build}); a rerun: nothing pushed, the registry's digest recorded",
                repository.Name, tag, remoteDigest, ReleaseBuild.BuildIdentity(tagResult));
            return config.ConfigDigest;
        }

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

                if (await RerunOfThisBuildAsync(tag, taken.Digest, tagResult, cancellationToken).ConfigureAwait(false) is { } theirs)
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
            var target = ReleaseBuilders.Target(request, repository.Registry, credential);
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

            var imageId = await Registry.GetConfigDigestAsync(repository.With(tag, remote.Digest), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("pushed {Repository}:{Tag} = {Digest} (confirmed by the registry)", repository.Name, tag, remote.Digest);
            return await FinishAsync(tagResult, tag, remote.Digest, imageId?.ToString() ?? "", [tag], pushed: true, removeLocal: false, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Builds while <paramref name="preflight"/> runs; a failed preflight cancels the build and is reported.</summary>
        private async Task<string> BuildAlongsideAsync(DockerBuildRequest build, Task preflight, CancellationToken cancellationToken)
        {
            using var buildCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var building = docker.BuildAsync(build, buildCancellation.Token);
            if (await Task.WhenAny(preflight, building).ConfigureAwait(false) == preflight && preflight.IsFaulted)
            {
                await buildCancellation.CancelAsync().ConfigureAwait(false);
                try
                {
                    await building.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ExternalFailureException)
                {
                    // The build was stopped because of the registry; its error is the one to report.
                }

                await preflight.ConfigureAwait(false);
            }

            try
            {
                return await building.ConfigureAwait(false);
            }
            finally
            {
                if (building.IsCompletedSuccessfully)
                {
                    // The build succeeded: a registry failure is the one to report.
                    await preflight.ConfigureAwait(false);
                }
                else
                {
                    // The build's failure is reported; the preflight's outcome no longer matters.
                    _ = preflight.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }
            }
        }

        private string LocalName(string tag) => $"{repository.Name}:{tag}";

        private async Task PushAsync(string imageId, IReadOnlyList<string> allTags, IReadOnlyList<string> toPush, CancellationToken cancellationToken)
        {
            // Extra tags built earlier (push of a fixed tag) may be missing locally: name them.
            foreach (var extra in allTags.Skip(1))
            {
                await docker.TagAsync(imageId, LocalName(extra), cancellationToken).ConfigureAwait(false);
            }

            // Each builder hands the credentials over its own way (docker: login through stdin into a throwaway config;
            // podman, buildah: a private auth file), never on argv.
            await docker.PushAsync(
                [.. toPush.Select(LocalName)], ReleaseBuilders.Target(request, repository.Registry, credential),
                image => logger.LogInformation("pushing {Image}", image), cancellationToken).ConfigureAwait(false);
        }

        private async Task<Digest> ConfirmAsync(string local, string tag, string imageId, CancellationToken cancellationToken)
        {
            var remote = await PushConfirmation.ConfirmAsync(Registry, repository.With(tag, null), cancellationToken).ConfigureAwait(false)
                ?? throw new ExternalFailureException($"registry {repository.Registry} does not have {repository.Name}:{tag} right after the push (HTTP 404)");

            // The registry's manifest names our image as its config: it holds what was built. One request, where
            // asking docker for RepoDigests costs a process start (most of a release's own overhead). Indexes
            // (multi-platform, BuildKit attestations) have no single config and take docker's answer instead.
            var confirmedByConfig = await Registry.GetConfigDigestAsync(repository.With(tag, remote.Digest), cancellationToken).ConfigureAwait(false) is { } config
                && config.ToString() == imageId;
            if (!confirmedByConfig)
            {
                var pushedDigests = await docker.GetDigestsInAsync(local, repository, cancellationToken).ConfigureAwait(false);
                if (pushedDigests.Count == 0)
                {
                    throw new ExternalFailureException(docker.Kind == BuilderKind.Docker
                        ? $"docker pushed {local} but reports no digest for {repository.Name} (RepoDigests is empty)"
                        : $"{Builders.Name(docker.Kind)} pushed {local} but reported no digest for {repository.Name}");
                }

                if (!pushedDigests.Contains(remote.Digest))
                {
                    throw new ExternalFailureException(
                        $"registry {repository.Registry} holds {repository.Name}:{tag} as {remote.Digest}, not {string.Join(" or ", pushedDigests)} that {Builders.Name(docker.Kind)} pushed; another push replaced it");
                }
            }

            logger.LogInformation("pushed {Repository}:{Tag} = {Digest} (confirmed by the registry)", repository.Name, tag, remote.Digest);
            return remote.Digest;
        }
    }
}
