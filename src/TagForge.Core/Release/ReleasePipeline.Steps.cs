using Microsoft.Extensions.Logging;
using TagForge.Containers;
using TagForge.Errors;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Release;

internal static partial class ReleasePipeline
{
    private sealed partial class Run
    {
        /// <summary>
        /// The built image must be for the platform asked for: a builder that cannot build it may return another
        /// (the classic builder's cache ignores <c>--platform</c> for a <c>FROM scratch</c> image), and an index
        /// would then label it wrongly. Checked before anything is pushed; a builder that cannot say is trusted.
        /// </summary>
        private async Task CheckPlatformAsync(string local, CancellationToken cancellationToken)
        {
            if (request.Platform is not { } wanted || wanted.Contains(',', StringComparison.Ordinal))
            {
                return;
            }

            var built = await docker.GetPlatformAsync(local, cancellationToken).ConfigureAwait(false);
            if (built is not null && !PlatformNames.Same(built, wanted))
            {
                throw new ExternalFailureException(
                    $"{Builders.Name(docker.Kind)} ({docker.Executable}) built {local} for {built}, not {wanted} as asked; nothing pushed (this builder cannot build {wanted} here: see docs/builders.md)");
            }
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
                [.. toPush.Select(LocalName)], ReleaseBuilders.Target(request, repository.Registry, await ReadyAsync().ConfigureAwait(false)),
                image => logger.LogInformation("pushing {Image}", image), cancellationToken).ConfigureAwait(false);
        }

        private async Task<Digest> ConfirmAsync(string local, string tag, string imageId, CancellationToken cancellationToken)
        {
            var remote = await PushConfirmation.ConfirmAsync(Registry, repository.With(tag, null), cancellationToken).ConfigureAwait(false)
                ?? throw new ExternalFailureException($"registry {repository.Registry} does not have {repository.Name}:{tag} right after the push (HTTP 404)");

            // The registry's manifest names our image as its config: it holds what was built. Read with the digest in
            // one answer, where asking docker for RepoDigests costs a process start (most of a release's own overhead).
            // Indexes (multi-platform, BuildKit attestations) have no single config and take docker's answer instead.
            var confirmedByConfig = remote.Document.Config?.Digest is { } config && config.ToString() == imageId;
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
