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

        // docker push needs the credentials too: explicit, environment or ECR ones go to docker through a throwaway
        // config; otherwise docker uses its own login as always.
        var pushCredential = registry is null ? null : await registry.ForToolsAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        var run = new Run(request, repository, services.Docker(request.DockerExecutable, request.DockerEnvironment), registry?.Client, pushCredential, services, services.Logger);
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class Run(
        ReleaseRequest request,
        ImageReference repository,
        DockerCli docker,
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

            // 6. The record and the outputs.
            var image = new ImageRecord(
                repository.Name,
                tag,
                digest!.ToString(),
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

            // 7. The article's docker rmi, only once everything above succeeded.
            if (request.RemoveLocal)
            {
                await docker.RemoveImagesAsync([.. tags.Select(LocalName)], cancellationToken).ConfigureAwait(false);
            }

            return new ReleaseResult(tag, imageId, image.Digest, image.Reference, image, pushed, request.RecordPath, request.Image!);
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

            string? config = null;
            try
            {
                if (credential is { HasPassword: true })
                {
                    // A throwaway docker config: docker push gets the explicit credentials (through stdin) and the
                    // user's own ~/.docker/config.json is never written.
                    config = Directory.CreateTempSubdirectory("tagforge-docker-config-").FullName;
                    await docker.LoginAsync(repository.Registry, credential, config, cancellationToken).ConfigureAwait(false);
                }

                foreach (var tag in toPush)
                {
                    logger.LogInformation("pushing {Image}", LocalName(tag));
                    await docker.PushAsync(LocalName(tag), config, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                if (config is not null)
                {
                    Directory.Delete(config, recursive: true);
                }
            }
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
                    throw new ExternalFailureException($"docker pushed {local} but reports no digest for {repository.Name} (RepoDigests is empty)");
                }

                if (!pushedDigests.Contains(remote.Digest))
                {
                    throw new ExternalFailureException(
                        $"registry {repository.Registry} holds {repository.Name}:{tag} as {remote.Digest}, not {string.Join(" or ", pushedDigests)} that docker pushed; another push replaced it");
                }
            }

            logger.LogInformation("pushed {Repository}:{Tag} = {Digest} (confirmed by the registry)", repository.Name, tag, remote.Digest);
            return remote.Digest;
        }
    }
}
