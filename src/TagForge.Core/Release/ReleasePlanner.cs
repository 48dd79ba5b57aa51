using TagForge.Containers;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Services;
using TagForge.Tagging;

namespace TagForge.Release;

/// <summary>
/// The entry point of <c>tagforge release --dry-run</c>: works out what a release would do without building, pushing
/// or writing anything. The request is layered and the docker commands rendered by the same code the real run uses
/// (<see cref="ReleaseConfiguration"/>, <see cref="ReleaseBuild"/>, <see cref="DockerArguments"/>), so the plan shown
/// is the command run; only temporary paths appear as <c>&lt;temp&gt;</c> and the image id as <c>&lt;image-id&gt;</c>.
/// </summary>
public static class ReleasePlanner
{
    /// <summary>What stands for the build's temporary folder in a plan.</summary>
    public const string TemporaryFolder = "<temp>";

    /// <summary>What stands for the image id, known only once built, in a plan.</summary>
    public const string ImageIdPlaceholder = "<image-id>";

    /// <summary>What stands for the throwaway docker config folder in a plan.</summary>
    public const string DockerConfigPlaceholder = DockerBuilder.ConfigPlaceholder;

    /// <summary>Plans <paramref name="request"/>; the registry is only read (HEAD of the tag, the tag list for <c>{seq}</c>).</summary>
    /// <exception cref="BadInputException">The image, the config or the template is wrong (what the release itself would reject first).</exception>
    public static async Task<ReleasePlan> PlanAsync(ReleaseRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var layered = ReleaseConfiguration.Layer(request, services);
        layered = layered with { ContentIdentity = layered.ContentIdentity ?? ReleaseIdentity.Of(layered, services) };
        var repository = ReleaseRunner.Repository(layered);
        // A plan asks once and fast: no retries.
        using var registry = services.Registries.Open(layered.Registry with { CredentialRegistry = repository.Registry, MaxRetryAttempts = 0 });
        var tagRequest = layered.Tag;
        var usesSequence = layered.FixedTag is null && SequenceTags.Uses(tagRequest);
        var state = PlannedTagState.Unknown;
        string detail;
        TagResult tag;
        Values.RegistryCredential? pushCredential = null;
        try
        {
            if (layered.FixedTag is { } fixedTag)
            {
                tag = TagGenerator.Generate(tagRequest with { Template = fixedTag, Preset = null, Dirty = DirtyMode.Ignore }, services.Environment, services.Clock);
            }
            else if (usesSequence)
            {
                var (pinned, pattern) = SequenceTags.Prepare(tagRequest, services.Environment, services.Clock);
                var existing = await registry.Client.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false);
                tag = TagGenerator.Generate(pinned with { Sequence = SequenceTags.Next(pattern, existing) }, services.Environment, services.Clock);
            }
            else
            {
                tag = TagGenerator.Generate(tagRequest, services.Environment, services.Clock);
            }

            var manifest = await registry.Client.HeadManifestAsync(repository.With(tag.Tag, null), cancellationToken).ConfigureAwait(false);
            (state, detail) = manifest is null
                ? (PlannedTagState.Free, $"{repository.Name}:{tag.Tag} does not exist yet: it would be pushed")
                : (PlannedTagState.Taken, $"{repository.Name}:{tag.Tag} exists with {manifest.Digest}: pushed only if the build is that image, else refused (exit 3){(layered.AllowOverwrite ? "; --allow-overwrite would overwrite it" : "")}");
            pushCredential = await registry.ForToolsAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalFailureException ex)
        {
            tag = usesSequence
                ? TagGenerator.Generate(SequenceTags.Prepare(tagRequest, services.Environment, services.Clock).Request with { Sequence = 0 }, services.Environment, services.Clock)
                : TagGenerator.Generate(tagRequest, services.Environment, services.Clock);
            detail = $"cannot ask {repository.Registry}: {ex.Message}";
        }

        var tags = ReleaseBuild.Tags(layered, tag.Tag);
        var local = tags.Select(t => $"{repository.Name}:{t}").ToList();
        var build = layered.SkipBuild ? null : ReleaseBuild.Request(layered, repository, tag, services.Environment);
        var builder = ReleaseBuilders.Create(layered, services);
        var target = ReleaseBuilders.Target(layered, repository.Registry, pushCredential);
        var rendered = layered.Builder is Containers.BuilderKind.Dotnet
            ? new BuilderPlan([[ReleaseBuilders.Publisher(layered, services).Executable, .. DotnetPublisher.Arguments(
                new DotnetPublishRequest
                {
                    Project = layered.Project ?? "<no --project>",
                    Registry = repository.Registry,
                    Repository = repository.Repository,
                    Tag = tag.Tag,
                    Labels = build?.Labels ?? [],
                    ExtraArguments = layered.ExtraBuildArguments,
                },
                TemporaryFolder)]], null)
            : builder.Plan(build, local, ImageIdPlaceholder, target, layered.RemoveLocal, TemporaryFolder);
        var commands = rendered.Commands;
        var labelInstruction = rendered.LabelInstruction;

        var problems = new List<string>();
        if (ReleaseRunner.CreateRepositoryProblem(layered, EcrReleaseSteps.For(repository, services.Ecr(layered.Ecr), services.Logger)) is { } notEcr)
        {
            problems.Add(notEcr);
        }

        if (layered.Builder is Containers.BuilderKind.Dotnet)
        {
            if (layered.Project is null)
            {
                problems.Add("--builder dotnet needs the app's project: pass --project PATH (a .csproj), set TAGFORGE_PROJECT, or put project: in tagforge.yml");
            }
        }
        else if (build is not null && !File.Exists(build.DockerfilePath))
        {
            problems.Add($"the Dockerfile {build.DockerfilePath} does not exist");
        }

        if (layered.RecordPath is { } recordPath)
        {
            try
            {
                BuildRecordStore.CheckWritable(services.Resolve(recordPath)!);
            }
            catch (BadInputException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return new ReleasePlan(repository.Name, tag, commands, labelInstruction, state, detail, services.Resolve(layered.RecordPath), problems, layered.ContentIdentity);
    }
}
