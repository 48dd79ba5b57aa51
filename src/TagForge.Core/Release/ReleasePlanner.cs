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
    public const string DockerConfigPlaceholder = "<temp-docker-config>";

    /// <summary>Plans <paramref name="request"/>; the registry is only read (HEAD of the tag, the tag list for <c>{seq}</c>).</summary>
    /// <exception cref="BadInputException">The image, the config or the template is wrong (what the release itself would reject first).</exception>
    public static async Task<ReleasePlan> PlanAsync(ReleaseRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var layered = ReleaseConfiguration.Layer(request, services);
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

        var docker = services.Docker(layered.DockerExecutable).Executable;
        var tags = ReleaseBuild.Tags(layered, tag.Tag);
        var local = tags.Select(t => $"{repository.Name}:{t}").ToList();
        List<IReadOnlyList<string>> commands = [];
        DockerBuildRequest? build = null;
        string? labelInstruction = null;
        if (!layered.SkipBuild)
        {
            build = ReleaseBuild.Request(layered, repository, tag, services.Environment);
            var rendered = DockerArguments.Build(build, TemporaryFolder);
            commands.Add([docker, .. rendered.Arguments]);
            labelInstruction = rendered.LabelInstruction;
        }

        foreach (var extra in local.Skip(1))
        {
            commands.Add([docker, .. DockerArguments.Tag(ImageIdPlaceholder, extra)]);
        }

        string? config = null;
        if (pushCredential is { HasPassword: true })
        {
            config = DockerConfigPlaceholder;
            commands.Add([docker, .. DockerArguments.Login(repository.Registry, pushCredential.Username!, config)]);
        }

        foreach (var image in local)
        {
            commands.Add([docker, .. DockerArguments.Push(image, config)]);
        }

        if (layered.RemoveLocal)
        {
            commands.Add([docker, .. DockerArguments.Remove(local)]);
        }

        var problems = new List<string>();
        if (ReleaseRunner.CreateRepositoryProblem(layered, EcrReleaseSteps.For(repository, services.Ecr(layered.Ecr), services.Logger)) is { } notEcr)
        {
            problems.Add(notEcr);
        }

        if (build is not null && !File.Exists(build.DockerfilePath))
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

        return new ReleasePlan(repository.Name, tag, commands, labelInstruction, state, detail, services.Resolve(layered.RecordPath), problems);
    }
}
