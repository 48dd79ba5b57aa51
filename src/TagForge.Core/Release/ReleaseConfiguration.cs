using TagForge.Config;
using TagForge.Containers;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Services;

namespace TagForge.Release;

/// <summary>
/// The one place a release's settings are layered, for the command line and build scripts alike: the request's own
/// values (flags or task settings), then <c>TAGFORGE_*</c>, then <c>tagforge.yml</c>, then the defaults.
/// </summary>
public static class ReleaseConfiguration
{
    /// <summary>
    /// <paramref name="request"/> with every unset value filled; the context, Dockerfile and git directory absolute.
    /// The record and dotenv paths stay as given (messages show them so) and are resolved where they are written.
    /// </summary>
    /// <exception cref="BadInputException">No image anywhere; a config file that is missing or wrong.</exception>
    public static ReleaseRequest Layer(ReleaseRequest request, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var config = ReleaseConfigFile.Load(services.WorkingDirectory, services.Environment, services.Resolve(request.ConfigPath));
        var building = !request.SkipBuild;
        var tag = request.Tag;
        if (building && tag.Template is null && tag.Preset is null)
        {
            tag = tag with { Template = config.Template, Preset = config.Template is null ? config.Preset : null };
        }

        return request with
        {
            Image = request.Image ?? config.Image
                ?? throw new BadInputException($"no image: {request.OptionNames.Image}, set TAGFORGE_IMAGE, or put 'image:' in tagforge.yml"),
            ContextPath = building ? services.Resolve(request.ContextPath) ?? config.Context ?? services.WorkingDirectory : null,
            Dockerfile = building ? services.Resolve(request.Dockerfile) ?? config.Dockerfile : null,
            Platform = building ? request.Platform ?? config.Platform : null,
            Tag = tag with { RepositoryPath = services.Resolve(tag.RepositoryPath) ?? services.WorkingDirectory },
            RecordPath = RecordPath(request, config),
            Builder = request.Builder ?? (config.Builder is { } named ? Builders.Parse(named, config.Source == "environment" ? "TAGFORGE_BUILDER" : $"{config.Source}: builder") : Builders.Detect(services.Environment)),
            Project = services.Resolve(request.Project) ?? config.Project,
            BuilderExecutable = request.BuilderExecutable ?? services.Environment.Read("TAGFORGE_BUILDER_EXECUTABLE"),
            StorageDriver = request.StorageDriver ?? services.Environment.Read("TAGFORGE_STORAGE_DRIVER"),
        };
    }

    /// <summary>
    /// The one rule for the record a release writes: none when it does not push or is told not to; else the request's
    /// path, then tagforge.yml's <c>record:</c>, then <see cref="BuildRecordFile.DefaultPath"/>.
    /// </summary>
    public static string? RecordPath(ReleaseRequest request, ReleaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        return request.SkipPush || request.NoRecord ? null : request.RecordPath ?? config.Record ?? BuildRecordFile.DefaultPath;
    }

    /// <summary>The record a release of <paramref name="request"/> writes (<see cref="RecordPath(ReleaseRequest, ReleaseConfig)"/>), its config file read.</summary>
    public static string? RecordPath(ReleaseRequest request, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        return RecordPath(request, ReleaseConfigFile.Load(services.WorkingDirectory, services.Environment, services.Resolve(request.ConfigPath)));
    }
}
