using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Release;
using TagForge.Services;
using TagForge.Tagging;

namespace TagForge.Monorepo;

/// <summary>
/// One image for several platforms on one runner (<c>release --platform linux/amd64,linux/arm64</c>, or
/// <c>platforms:</c>): the tag is rendered once, each platform is released by <see cref="ReleaseRunner"/> under
/// <c>TAG-linux-arm64</c> (the docker CLI cannot push by digest without buildx, so each platform gets its own tag
/// and the shared tag is never touched by a platform push), then <see cref="IndexPublisher"/> pushes the OCI index
/// of those manifests under TAG with the overwrite guard.
/// </summary>
public static class MultiPlatformRelease
{
    /// <summary>The tag of one platform's manifest: <c>TAG-linux-arm64</c> (<c>/</c> becomes <c>-</c>).</summary>
    public static string PlatformTag(string tag, string platform) => $"{tag}-{platform.Replace('/', '-')}";

    /// <summary>
    /// The entry point of <c>tagforge release --platform linux/amd64,linux/arm64</c> for one image: layers the request
    /// like a single release, builds and pushes each platform, pushes the index, and records it.
    /// </summary>
    /// <exception cref="BadInputException">Fewer than two platforms, a bad request (exit 2).</exception>
    public static async Task<ReleaseResult> ReleaseAsync(ReleaseRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var layered = ReleaseConfiguration.Layer(request, services);
        var platforms = (layered.Platform ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (platforms.Length < 2 || layered.SkipPush || layered.SkipBuild)
        {
            throw new BadInputException("several platforms (--platform a,b) make an index: use them with release, for at least two platforms");
        }

        if (layered.RecordPath is { } check)
        {
            BuildRecordStore.CheckWritable(services.Resolve(check)!);
        }

        var template = layered.Tag.Template ?? (layered.Tag.Preset is { } preset ? TagPresets.Get(preset) : TagPresets.Default);
        var record = await RunAsync(layered with { Tag = layered.Tag with { Template = template, Preset = null } }, platforms, services, cancellationToken).ConfigureAwait(false);
        if (layered.RecordPath is { } recordPath)
        {
            await BuildRecordStore.MergeAsync(services.Resolve(recordPath)!, record, cancellationToken).ConfigureAwait(false);
        }

        if (layered.DotenvPath is { } dotenv)
        {
            ReleaseOutputs.WriteDotenv(services.Resolve(dotenv)!, record);
        }

        return new ReleaseResult(record.Tag, "", record.Digest, record.Reference, record, Pushed: true, layered.RecordPath, record.Repository);
    }

    /// <summary>Releases <paramref name="release"/> (layered by the caller: image, context, tag request) for each of <paramref name="platforms"/> and pushes their index.</summary>
    public static async Task<ImageRecord> RunAsync(ReleaseRequest release, IReadOnlyList<string> platforms, TagForgeServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(services);
        var tag = RenderOnce(release.Tag, services);
        var parts = new List<ImageRecord>();
        foreach (var platform in platforms)
        {
            parts.Add(await ReleasePlatformAsync(release, tag.Tag, platform, services, cancellationToken).ConfigureAwait(false));
        }

        var repository = ReleaseRunner.Repository(release);
        using var registry = services.Registries.Open(release.Registry with { CredentialRegistry = repository.Registry });
        return await IndexPublisher.PushAsync(registry.Client, repository, tag.Tag, parts, release.AdditionalTags, release.AllowOverwrite, services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The release's tag, rendered once for every platform; <c>{seq}</c> is refused (each platform would number its own).</summary>
    public static TagResult RenderOnce(TagRequest tag, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(services);
        var template = tag.Template ?? (tag.Preset is { } preset ? TagPresets.Get(preset) : TagPresets.Default);
        return TagTemplate.Parse(template).Uses(PlaceholderKind.Seq)
            ? throw new BadInputException("{seq} cannot tag a multi-platform image (each platform would take its own number); use {build} or {time}")
            : TagGenerator.Generate(tag, services.Environment, services.Clock);
    }

    /// <summary>Builds and pushes one platform under <see cref="PlatformTag"/>; its record entry (not written).</summary>
    public static async Task<ImageRecord> ReleasePlatformAsync(ReleaseRequest release, string tag, string platform, TagForgeServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(services);
        services.Logger.LogInformation("building {Image} for {Platform}", release.Image, platform);
        var result = await ReleaseRunner.RunAsync(
            release with
            {
                Platform = platform,
                // The rendered tag, as a literal: every platform's tag derives from the one tag (a dirty suffix is in it already).
                Tag = release.Tag with { Template = PlatformTag(tag, platform), Preset = null, Dirty = DirtyMode.Ignore },
                AdditionalTags = [],
                NoRecord = true,
                DotenvPath = null,
            },
            services,
            cancellationToken).ConfigureAwait(false);
        return result.Record!;
    }
}
