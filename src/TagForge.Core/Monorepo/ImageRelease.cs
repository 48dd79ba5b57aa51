using Microsoft.Extensions.Logging;
using TagForge.Config;
using TagForge.Containers;
using TagForge.Content;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Release;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Values;

namespace TagForge.Monorepo;

/// <summary>
/// One image of a monorepo release: its content hash and content tag, the reuse decisions (<c>--skip-unchanged</c>,
/// <c>--changed-since</c>), and otherwise its build through <see cref="ReleaseRunner"/>, one request per platform.
/// </summary>
internal static class ImageRelease
{
    public static async Task<ImageRecord> RunAsync(
        PreparedRelease plan,
        PlannedImage image,
        IReadOnlyList<ImageOutcome> bases,
        MonorepoRequest request,
        bool changed,
        BuildRecord previous,
        ContentSnapshot? snapshot,
        TagForgeServices services,
        CancellationToken cancellationToken)
    {
        var references = bases.ToDictionary(b => b.Name, b => b.Record!.Reference, StringComparer.Ordinal);
        var buildArgs = image.Config.BuildArgs.Select(arg => ImageGraph.Substitute(arg, references)).ToList();
        var platforms = Platforms(plan.Release, image);
        var needsHash = request.SkipUnchanged || request.ChangedSince is not null || image.UsesContent;
        var hash = needsHash
            ? ContentHasher.Compute(new ContentInput
            {
                ContextPath = image.Context,
                Dockerfile = image.Dockerfile,
                BuildArgs = buildArgs,
                Target = image.Config.Target,
                Platform = string.Join(',', platforms),
                // A base's own content hash (it covers what its digest is made of, and a plan knows it before the base is built).
                BaseDigests = bases.ToDictionary(b => b.Name, b => b.Record!.ContentHash ?? b.Record.Digest, StringComparer.Ordinal),
            }, snapshot)
            : null;
        var tagRequest = plan.Release.Tag with { Template = image.Template, Preset = null, Content = hash };
        var contentTag = hash is null ? null : image.ContentOnly ? TagGenerator.Generate(tagRequest, services.Environment, services.Clock).Tag : MonorepoPlanner.ContentTagFor(hash);

        if (!changed && previous.Find(image.Repository.Name) is { } recorded)
        {
            services.Logger.LogInformation("unchanged since {Revision}: reusing {Reference} from the record", request.ChangedSince, recorded.Reference);
            return recorded with { Name = image.Config.Name, Outcome = ImageOutcomes.Reused };
        }

        if ((request.SkipUnchanged || !changed) && contentTag is not null
            && await ReusedAsync(plan, image, tagRequest, contentTag, hash!, platforms, request.TagReused, services, cancellationToken).ConfigureAwait(false) is { } reused)
        {
            return reused;
        }

        var release = plan.Release with
        {
            Image = image.Repository.Name,
            ContextPath = image.Context,
            Dockerfile = image.Dockerfile,
            Target = image.Config.Target,
            Builder = BuilderOf(plan.Release, image.Config, services),
            Project = plan.Release.Project ?? image.Config.Project,
            BuildArgs = [.. plan.Release.BuildArgs, .. buildArgs],
            Tag = tagRequest,
            NoRecord = true,
            DotenvPath = null,
        };
        var extraContentTag = contentTag is null || image.ContentOnly ? null : contentTag;
        ImageRecord record;
        if (platforms.Count <= 1)
        {
            var result = await ReleaseRunner.RunAsync(release with { Platform = platforms.Count == 1 ? platforms[0] : null }, services, cancellationToken).ConfigureAwait(false);
            record = result.Record!;
        }
        else
        {
            record = await MultiPlatformRelease.RunAsync(release, platforms, services, cancellationToken).ConfigureAwait(false);
        }

        if (extraContentTag is not null)
        {
            // The content tag through the registry API (the manifest put under one more tag): a second docker push
            // would cost a process and a round of blob checks for a tag that names the same bytes.
            using var registry = services.Registries.Open(plan.Release.Registry with { CredentialRegistry = image.Repository.Registry });
            await PutTagAsync(registry.Client, image.Repository, Digest.Parse(record.Digest), extraContentTag, cancellationToken).ConfigureAwait(false);
            record = record with { Tags = [.. record.Tags, extraContentTag] };
        }

        return record with { Name = image.Config.Name, ContentHash = hash, Outcome = ImageOutcomes.Built };
    }

    /// <summary>The platforms to build: the release's <c>--platform</c> (comma-separated), else the image's <c>platforms:</c>.</summary>
    internal static IReadOnlyList<string> Platforms(ReleaseRequest release, PlannedImage image) =>
        release.Platform is { } given
            ? [.. given.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : image.Config.Platforms;

    /// <summary>The record of the registry's image under <paramref name="contentTag"/>, or null when the registry does not hold it.</summary>
    private static async Task<ImageRecord?> ReusedAsync(
        PreparedRelease plan,
        PlannedImage image,
        TagRequest tagRequest,
        string contentTag,
        string hash,
        IReadOnlyList<string> platforms,
        bool tagReused,
        TagForgeServices services,
        CancellationToken cancellationToken)
    {
        var repository = image.Repository;
        using var registry = services.Registries.Open(plan.Release.Registry with { CredentialRegistry = repository.Registry });
        var existing = await registry.Client.HeadManifestAsync(repository.With(contentTag, null), cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return null;
        }

        var generated = TagGenerator.Generate(tagRequest, services.Environment, services.Clock);
        List<string> tags = [contentTag];
        var tag = contentTag;
        if (tagReused && generated.Tag != contentTag)
        {
            await AddTagAsync(registry.Client, repository, existing.Digest, generated.Tag, cancellationToken).ConfigureAwait(false);

            tags.Add(generated.Tag);
            tag = generated.Tag;
        }

        var imageId = existing.MediaType.Contains("index", StringComparison.Ordinal) || existing.MediaType.Contains("list", StringComparison.Ordinal)
            ? null
            : (await registry.Client.GetConfigDigestAsync(repository.With(contentTag, existing.Digest), cancellationToken).ConfigureAwait(false))?.ToString();
        services.Logger.LogInformation("{Repository}:{Tag} holds this content ({Digest}): not built", repository.Name, contentTag, existing.Digest);
        return new ImageRecord(
            repository.Name,
            tag,
            existing.Digest.ToString(),
            $"{repository.Name}@{existing.Digest}",
            imageId,
            tags,
            platforms.Count == 1 ? platforms[0] : null,
            new GitRecord(generated.Commit, generated.Branch, generated.Dirty),
            new BuildInfoRecord(generated.Provider, generated.BuildNumber, generated.BuildUrl),
            services.Clock.GetUtcNow())
        {
            Name = image.Config.Name,
            MediaType = existing.MediaType,
            ContentHash = hash,
            Outcome = ImageOutcomes.Reused,
        };
    }

    /// <summary>Puts the content tag <paramref name="tag"/> on <paramref name="digest"/>, unguarded: it names content, and a rebuild of the same content may move it.</summary>
    private static async Task PutTagAsync(Registry.IRegistryClient client, ImageReference repository, Digest digest, string tag, CancellationToken cancellationToken)
    {
        var manifest = await client.GetManifestAsync(repository.With(null, digest), cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalFailureException($"registry {repository.Registry} does not have {repository.Name}@{digest} right after its push");
        await client.PutManifestAsync(repository.With(tag, null), manifest.MediaType, manifest.Body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts <paramref name="tag"/> on the manifest <paramref name="digest"/> (copying the manifest), under the overwrite guard.</summary>
    private static async Task AddTagAsync(Registry.IRegistryClient client, ImageReference repository, Digest digest, string tag, CancellationToken cancellationToken)
    {
        var holder = await client.HeadManifestAsync(repository.With(tag, null), cancellationToken).ConfigureAwait(false);
        if (holder is not null)
        {
            if (holder.Digest == digest)
            {
                return;
            }

            throw new PolicyRefusalException($"{repository.Name}:{tag} already exists with digest {holder.Digest}, not the reused {digest}; refusing to overwrite it");
        }

        var manifest = await client.GetManifestAsync(repository.With(null, digest), cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalFailureException($"registry {repository.Registry} lost {repository.Name}@{digest} while tagging it");
        await client.PutManifestAsync(repository.With(tag, null), manifest.MediaType, manifest.Body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The image's own <c>builder:</c> sits where tagforge.yml sits in the layering: below <c>--builder</c> and
    /// <c>TAGFORGE_BUILDER</c>, above the file's top-level <c>builder:</c> (which the release applies when this is null).
    /// </summary>
    private static BuilderKind? BuilderOf(ReleaseRequest release, ImageConfig image, TagForgeServices services) =>
        release.Builder
        ?? (image.Builder is { } named && services.Environment.Read("TAGFORGE_BUILDER") is null
            ? Builders.Parse(named, $"{image.Source}: builder")
            : null);
}
