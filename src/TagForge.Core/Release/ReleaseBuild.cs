using System.Globalization;
using TagForge.Containers;
using TagForge.Git;
using TagForge.IO;
using TagForge.Tagging;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>The <c>docker build</c> a release runs: its tags, build arguments and OCI labels. The real run and the dry run both take it from here.</summary>
internal static class ReleaseBuild
{
    /// <summary>The build of the layered <paramref name="request"/> tagged <paramref name="tag"/>.</summary>
    public static DockerBuildRequest Request(ReleaseRequest request, ImageReference repository, TagResult tag, IEnvironmentVariables environment)
    {
        var created = CreatedTime(request, tag, environment);
        List<KeyValuePair<string, string>> labels = request.SkipLabels ? [] :
        [
            new("org.opencontainers.image.revision", tag.Commit),
            new("org.opencontainers.image.created", created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            new("org.opencontainers.image.version", tag.Tag),
            new(BuildLabel, BuildIdentity(tag)),
        ];
        if (!request.SkipLabels && request.ContentIdentity is { } identity)
        {
            labels.Add(new(ContentLabel, identity));
        }

        if (!request.SkipLabels && (request.SourceUrl ?? SourceFromCi(environment)) is { } source)
        {
            labels.Add(new("org.opencontainers.image.source", source));
        }

        return new DockerBuildRequest
        {
            ContextPath = request.ContextPath ?? ".",
            Dockerfile = request.Dockerfile,
            Tags = [.. Tags(request, tag.Tag).Select(t => $"{repository.Name}:{t}")],
            BuildArgs = request.BuildArgs,
            Labels = labels,
            Target = request.Target,
            Platform = request.Platform,
            PullBases = request.PullBases,
            ExtraArguments = request.ExtraBuildArguments,
            SourceDateEpoch = created.ToUnixTimeSeconds(),
        };
    }

    /// <summary>
    /// The image's creation time, so the same commit builds the same image: the request's, else the tag's time when
    /// it was given (<c>--time</c>, <c>SOURCE_DATE_EPOCH</c>), else the commit's time; never the wall clock.
    /// </summary>
    public static DateTimeOffset CreatedTime(ReleaseRequest request, TagResult tag, IEnvironmentVariables environment)
    {
        if (request.CreatedTime is { } given)
        {
            return given.ToUniversalTime();
        }

        if (request.Tag.Time is not null || environment.Read("SOURCE_DATE_EPOCH") is not null)
        {
            return tag.Time;
        }

        try
        {
            using var git = GitRepositoryReader.Open(tag.RepositoryRoot);
            return git.CommitTime(tag.Commit);
        }
        catch (Errors.TagForgeException)
        {
            // No commit to date the image by: the tag's time it is.
            return tag.Time;
        }
    }

    /// <summary>The OCI label naming the commit.</summary>
    public const string RevisionLabel = "org.opencontainers.image.revision";

    /// <summary>The label naming the image's content identity: what a rerun is recognised by.</summary>
    public const string ContentLabel = Content.ContentLabels.Identity;

    /// <summary>The label naming the CI build (<c>provider/number</c>), so a rerun of the same build is recognised even when its bytes differ.</summary>
    public const string BuildLabel = "dev.tagforge.build";

    /// <summary>The CI build as the <see cref="BuildLabel"/> says it: <c>github/1234</c>, <c>gitlab/87</c>, <c>local/local</c>.</summary>
    public static string BuildIdentity(TagResult tag) => $"{tag.Provider}/{tag.BuildNumber}";

    /// <summary>Every tag of the release: the generated (or given) one first, then the additional ones.</summary>
    public static IReadOnlyList<string> Tags(ReleaseRequest request, string tag) => [tag, .. request.AdditionalTags.Where(t => t != tag)];

    private static string? SourceFromCi(IEnvironmentVariables environment) =>
        environment.Read("GITHUB_SERVER_URL") is { } server && environment.Read("GITHUB_REPOSITORY") is { } name ? $"{server}/{name}"
        : environment.Read("CI_PROJECT_URL") is { } gitlab ? gitlab
        : environment.Read("BUILD_REPOSITORY_URI") ?? environment.Read("GIT_URL");
}
