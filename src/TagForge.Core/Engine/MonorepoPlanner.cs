using TagForge.Config;
using TagForge.Errors;
using TagForge.Release;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Values;

namespace TagForge.Engine;

/// <summary>One image of a monorepo release with its settings resolved.</summary>
/// <param name="Config">Its <c>images:</c> entry.</param>
/// <param name="Repository">Where it is pushed.</param>
/// <param name="Context">The build context (absolute).</param>
/// <param name="Template">The tag template (the image's, else the release's, else the config's, else the default).</param>
public sealed record PlannedImage(ImageConfig Config, ImageReference Repository, string Context, string Template)
{
    /// <summary>The Dockerfile (absolute).</summary>
    public string Dockerfile => Config.Dockerfile ?? Path.Combine(Context, "Dockerfile");

    /// <summary>True when the tag is made of the content hash alone (and literals): the release tag is the content tag.</summary>
    public bool ContentOnly => TagTemplate.Parse(Template).Placeholders.All(p => p.Kind == PlaceholderKind.Content) && TagTemplate.Parse(Template).Uses(PlaceholderKind.Content);

    /// <summary>True when the template uses <c>{content}</c>.</summary>
    public bool UsesContent => TagTemplate.Parse(Template).Uses(PlaceholderKind.Content);
}

/// <summary>A release with every image's settings resolved, before anything is decided or run.</summary>
/// <param name="Release">The shared settings: the tag request's time fixed once for every image, the repository path absolute.</param>
/// <param name="Images">The images to release, in dependency order.</param>
/// <param name="RecordPath">The record to write (as given), or null.</param>
/// <param name="FilePlatform">tagforge.yml's top-level <c>platform:</c>, for images whose own <c>platforms:</c> and the request name none.</param>
public sealed record PreparedRelease(ReleaseRequest Release, IReadOnlyList<PlannedImage> Images, string? RecordPath, string? FilePlatform = null)
{
    /// <summary>The platforms of <paramref name="image"/>: the request's (flag, setter or <c>TAGFORGE_PLATFORM</c>), else its <c>platforms:</c>, else the file's <c>platform:</c>; empty for the engine's own.</summary>
    public IReadOnlyList<string> PlatformsOf(PlannedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Release.Platform is { } given ? PlatformNames.Split(given)
            : image.Config.Platforms.Count > 0 ? image.Config.Platforms
            : PlatformNames.Split(FilePlatform);
    }
}

/// <summary>Reads <c>images:</c> (or the one image of the request) and resolves what each image of a <see cref="MonorepoRequest"/> is.</summary>
public static class MonorepoPlanner
{
    /// <summary>The content tag of an image whose own template is not made of <c>{content}</c> alone: <c>content-</c> and 24 hex digits (96 bits).</summary>
    public static string ContentTagFor(string contentHash) => $"content-{contentHash[..24]}";

    /// <summary>Resolves <paramref name="request"/>.</summary>
    /// <exception cref="BadInputException">No <c>images:</c>, a bad name, a cycle, a bad template.</exception>
    public static PreparedRelease Prepare(MonorepoRequest request, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (request.Problem() is { } problem)
        {
            throw new BadInputException(problem);
        }

        var release = request.Release;
        var config = ReleaseConfigFile.Load(services.WorkingDirectory, services.Environment, services.Resolve(release.ConfigPath));
        var sharedTemplate = release.Tag.Template ?? (release.Tag.Preset is { } preset ? TagPresets.Get(preset) : null)
            ?? config.Template ?? (config.Preset is { } configPreset ? TagPresets.Get(configPreset) : null) ?? TagPresets.Default;
        var planned = request.OneImage ? [OneImage(release, services, sharedTemplate)] : FromImages(request, config, services, sharedTemplate);

        // One time for every image: a release's tags agree however long its builds take.
        var time = release.Tag.Time ?? (services.Environment.Read("SOURCE_DATE_EPOCH") is null ? services.Clock.GetUtcNow() : null);
        var shared = release with
        {
            Tag = release.Tag with { Time = time, RepositoryPath = services.Resolve(release.Tag.RepositoryPath) ?? services.WorkingDirectory },
            // The platforms come from the layered request, whatever door or layer named them: the flag (or setter),
            // then TAGFORGE_PLATFORM; below them each image's platforms:, then the file's platform: (FilePlatform).
            Platform = release.Platform ?? services.Environment.Read("TAGFORGE_PLATFORM"),
        };
        var recordPath = ReleaseConfiguration.RecordPath(release, config);
        var filePlatform = services.Environment.Read("TAGFORGE_PLATFORM") is null ? config.Platform : null;
        return new PreparedRelease(shared, planned, recordPath, filePlatform);
    }

    /// <summary>The one image of a release that names no <c>images:</c>, as if it were the only entry.</summary>
    private static PlannedImage OneImage(ReleaseRequest release, TagForgeServices services, string template)
    {
        var layered = ReleaseConfiguration.Layer(release, services);
        var repository = ReleaseRunner.Repository(layered);
        var name = repository.Repository[(repository.Repository.LastIndexOf('/') + 1)..];
        _ = TagTemplate.Parse(template);
        var image = new ImageConfig
        {
            Name = name,
            Image = repository.Name,
            Context = layered.ContextPath,
            Dockerfile = layered.Dockerfile,
            Target = layered.Target,
            Platforms = PlatformNames.Split(layered.Platform),
        };
        return new PlannedImage(image, repository, layered.ContextPath ?? services.WorkingDirectory, template);
    }

    private static List<PlannedImage> FromImages(MonorepoRequest request, ReleaseConfig config, TagForgeServices services, string sharedTemplate)
    {
        var images = config.Images is { Count: > 0 } list
            ? list
            : throw new BadInputException($"--all/--only release the images: of tagforge.yml, and {config.Source ?? "no tagforge.yml was found"}{(config.Source is null ? "" : " has none")}");
        var selected = ImageGraph.Select(images, request.Only);
        var configDirectory = config.Source is { } source && File.Exists(source) ? Path.GetDirectoryName(Path.GetFullPath(source))! : services.WorkingDirectory;
        var planned = new List<PlannedImage>();
        foreach (var image in selected)
        {
            var name = image.Image ?? (config.Image is { } prefix ? $"{prefix.TrimEnd('/')}/{image.Name}" : image.Name);
            if (!ImageReference.TryParse(name, out var repository, out var problem))
            {
                throw new BadInputException($"{image.Source}: image '{image.Name}' goes to '{name}': {problem}");
            }

            if (repository.Tag is not null || repository.Digest is not null)
            {
                throw new BadInputException($"{image.Source}: image '{image.Name}' goes to '{name}', which names a tag or digest; give the repository only");
            }

            var template = image.Template ?? sharedTemplate;
            _ = TagTemplate.Parse(template);
            planned.Add(new PlannedImage(image, repository, image.Context ?? configDirectory, template));
        }

        return planned;
    }
}
