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
/// The steps of one image for one platform: make a unique tag, build, check the built platform, guard against
/// overwriting, push, and confirm the digest with the registry. Each step either succeeds or throws a typed exception
/// with a one-line message. The record and the CI outputs are not written here: the caller writes them once, from the
/// final result (<see cref="ReleaseRunner"/> for one image; the release engine for several platforms or images).
/// </summary>
internal static partial class ReleasePipeline
{
    /// <summary>Runs the layered <paramref name="request"/> for <paramref name="repository"/>; <paramref name="registry"/> is null only when not pushing.</summary>
    public static async Task<ReleaseResult> RunAsync(ReleaseRequest request, ImageReference repository, TagForgeServices services, RegistrySession? registry, CancellationToken cancellationToken)
    {
        if (request.SkipBuild && request.FixedTag is null)
        {
            throw new BadInputException($"pushing without building needs the tag of the local image ({request.OptionNames.FixedTag})");
        }

        // Say what the registry is (a wrong port fails in a second, naming what answered) and get the credential the
        // tools push with while the build runs: a failure there stops the build, and nothing is pushed before both are
        // known. (docker push needs the credentials too: explicit, environment or ECR ones go to docker through a
        // throwaway config; otherwise docker uses its own login as always.)
        var ready = registry is null ? null : Task.Run(() => PrepareRegistryAsync(registry, repository, cancellationToken), cancellationToken);
        _ = ready?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var run = new Run(request, repository, ReleaseBuilders.Create(request, services), registry?.Client, ready, services, services.Logger);
        var result = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        if (ReleaseBuilders.Describe(request, services) is { } builtWith)
        {
            // Remote engines and other builders are named once: the registry checks above ran from here regardless.
            services.Logger.LogInformation("built with {Builder}", builtWith);
            return result with { BuiltWith = builtWith };
        }

        return result;
    }

    /// <summary>The registry probed, then the credential the tools push with.</summary>
    private static async Task<RegistryCredential?> PrepareRegistryAsync(RegistrySession registry, ImageReference repository, CancellationToken cancellationToken)
    {
        await registry.Client.ProbeAsync(repository, cancellationToken).ConfigureAwait(false);
        return await registry.ForToolsAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
    }

    private sealed partial class Run(
        ReleaseRequest request,
        ImageReference repository,
        IImageBuilder docker,
        IRegistryClient? registry,
        Task<RegistryCredential?>? ready,
        TagForgeServices services,
        ILogger logger)
    {
        private IRegistryClient Registry => registry ?? throw new InvalidOperationException("no registry client");

        /// <summary>The registry probed and the tools' credential, once both are known (before the registry is first asked).</summary>
        private Task<RegistryCredential?> ReadyAsync() => ready ?? throw new InvalidOperationException("no registry client");

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
                await ReadyAsync().ConfigureAwait(false);
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
                await ReadyAsync().ConfigureAwait(false);
                return await PublishInOneStepAsync(tagResult, sequence, render, cancellationToken).ConfigureAwait(false);
            }

            // 2. The build. Meanwhile the registry is probed and asked about the tag once: a wrong address, an unreachable
            // registry or wrong credentials stop a long build early, and the client is warm when the guard asks again.
            string imageId;
            var preflight = request.SkipPush || request.SkipBuild ? Task.CompletedTask : PreflightAsync(tag, cancellationToken);
            if (request.SkipBuild)
            {
                imageId = await docker.GetImageIdAsync(local, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                logger.LogInformation("building {Image}", local);
                imageId = await BuildAlongsideAsync(ReleaseBuild.Request(request, repository, tagResult, environment), preflight, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("built {Image} ({ImageId})", local, imageId);
                await CheckPlatformAsync(local, cancellationToken).ConfigureAwait(false);
            }

            if (request.SkipPush)
            {
                return new ReleaseResult(tag, imageId, null, null, null, Pushed: false, Image: request.Image!);
            }

            // 3. The overwrite guard; a {seq} tag taken meanwhile moves on to the next number.
            await ReadyAsync().ConfigureAwait(false);
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

                if (await RerunOfThisBuildAsync(tag, guard.RemoteDigest!, cancellationToken).ConfigureAwait(false) is { } theirs)
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

            // 6. The record entry (written by the caller); 7. the article's docker rmi, once everything above succeeded.
            return await FinishAsync(tagResult, tag, digest!, imageId, tags, pushed, request.RemoveLocal, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>What runs beside the build: the registry probed, then asked about the tag once.</summary>
        private async Task PreflightAsync(string tag, CancellationToken cancellationToken)
        {
            await ReadyAsync().ConfigureAwait(false);
            await Registry.HeadManifestAsync(repository.With(tag, null), cancellationToken).ConfigureAwait(false);
        }

        private async Task<ReleaseResult> FinishAsync(
            TagResult tagResult, string tag, Digest digest, string imageId, IReadOnlyList<string> tags, bool pushed, bool removeLocal, CancellationToken cancellationToken)
        {
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
                services.Clock.GetUtcNow())
            {
                ContentHash = request.ContentIdentity,
            };
            if (removeLocal)
            {
                await docker.RemoveImagesAsync([.. tags.Select(LocalName)], cancellationToken).ConfigureAwait(false);
            }

            return new ReleaseResult(tag, imageId, image.Digest, image.Reference, image, pushed, request.RecordPath, request.Image!);
        }

        /// <summary>
        /// Whether the tag holds an image of this very build although its bytes differ (a CI retry of a build that is
        /// not reproducible): the registry's image carries this build's content identity (<see cref="ReleaseBuild.ContentLabel"/>),
        /// so building again would take the same inputs. Returns the registry image's config digest then, else null.
        /// Not the commit and build number: a rebuild of the same commit with other inputs is another image.
        /// </summary>
        private async Task<Digest?> RerunOfThisBuildAsync(string tag, Digest remoteDigest, CancellationToken cancellationToken)
        {
            if (request.SkipLabels || request.AllowOverwrite || request.ContentIdentity is not { } identity)
            {
                return null;
            }

            var config = await Registry.GetImageConfigAsync(repository.With(tag, remoteDigest), cancellationToken).ConfigureAwait(false);
            if (config is null || config.Labels.GetValueOrDefault(ReleaseBuild.ContentLabel) != identity)
            {
                return null;
            }

            logger.LogInformation(
                "{Repository}:{Tag} already holds {Digest}, built from this very content ({Identity}); a rerun: nothing pushed, the registry's digest recorded",
                repository.Name, tag, remoteDigest, identity[..Math.Min(16, identity.Length)]);
            return config.ConfigDigest;
        }
    }
}
