using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Tagging;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>What the registry said about the tag a release would push.</summary>
public enum PlannedTagState
{
    /// <summary>The registry does not hold the tag: the release would push it.</summary>
    Free,

    /// <summary>The registry holds the tag: the release pushes only the same image, else refuses (unless overwriting is allowed).</summary>
    Taken,

    /// <summary>The registry could not be asked.</summary>
    Unknown,
}

/// <summary>What <c>tagforge release --dry-run</c> shows: the tag, the commands, the registry's answer, the record.</summary>
/// <param name="Image">The repository.</param>
/// <param name="Tag">The tag the release would make, and every input that made it.</param>
/// <param name="Commands">The docker commands the release would run, in order (temporary paths shown as placeholders).</param>
/// <param name="TagState">Whether the registry holds the tag.</param>
/// <param name="RegistryDetail">The registry's answer in words (the digest it holds, or why it could not be asked).</param>
/// <param name="RecordPath">The record the entry would be merged into, or null.</param>
/// <param name="Problems">What would make the release fail before pushing (a missing Dockerfile, a read-only record).</param>
public sealed record ReleasePlan(
    string Image,
    TagResult Tag,
    IReadOnlyList<IReadOnlyList<string>> Commands,
    PlannedTagState TagState,
    string RegistryDetail,
    string? RecordPath,
    IReadOnlyList<string> Problems);

/// <summary>Works out what a release would do without building, pushing or writing anything.</summary>
public static class ReleasePlanner
{
    /// <summary>Plans <paramref name="request"/>; the registry is only read (HEAD of the tag, the tag list for <c>{seq}</c>).</summary>
    /// <exception cref="BadInputException">The image or the template is wrong (what the release itself would reject first).</exception>
    public static async Task<ReleasePlan> PlanAsync(ReleaseRequest request, IRegistryClient registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        if (!ImageReference.TryParse(request.Image, out var repository, out var problem))
        {
            throw new BadInputException($"--image: {problem}");
        }

        var environment = request.Environment ?? ProcessEnvironment.Instance;
        var tagRequest = (request.Tag ?? new TagRequest()) with { Environment = request.Tag?.Environment ?? environment };
        var state = PlannedTagState.Unknown;
        string detail;
        TagResult tag;
        try
        {
            if (SequenceTags.Uses(tagRequest))
            {
                var (pinned, pattern) = SequenceTags.Prepare(tagRequest);
                var existing = await registry.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false);
                tag = TagGenerator.Generate(pinned with { Sequence = SequenceTags.Next(pattern, existing) });
            }
            else
            {
                tag = TagGenerator.Generate(tagRequest);
            }

            var manifest = await registry.HeadManifestAsync(repository.With(tag.Tag, null), cancellationToken).ConfigureAwait(false);
            (state, detail) = manifest is null
                ? (PlannedTagState.Free, $"{repository.Name}:{tag.Tag} does not exist yet: it would be pushed")
                : (PlannedTagState.Taken, $"{repository.Name}:{tag.Tag} exists with {manifest.Digest}: pushed only if the build is that image, else refused (exit 3){(request.AllowOverwrite ? "; --allow-overwrite would overwrite it" : "")}");
        }
        catch (ExternalFailureException ex)
        {
            tag = SequenceTags.Uses(tagRequest) ? TagGenerator.Generate(SequenceTags.Prepare(tagRequest).Request with { Sequence = 0 }) : TagGenerator.Generate(tagRequest);
            detail = $"cannot ask {repository.Registry}: {ex.Message}";
        }

        var context = Path.GetFullPath(request.ContextPath ?? ".");
        var dockerfile = Path.GetFullPath(request.Dockerfile ?? Path.Combine(context, "Dockerfile"));
        var local = $"{repository.Name}:{tag.Tag}";
        List<string> build = ["docker", "build", "--iidfile", "<temp>", "--file", dockerfile, "--tag", local];
        foreach (var argument in request.BuildArgs)
        {
            build.AddRange(["--build-arg", argument]);
        }

        if (request.Target is { } target)
        {
            build.AddRange(["--target", target]);
        }

        if (request.Platform is { } platform)
        {
            build.AddRange(["--platform", platform]);
        }

        build.AddRange([.. request.ExtraBuildArguments, context]);
        List<IReadOnlyList<string>> commands = [build];
        foreach (var extra in request.AdditionalTags.Where(t => t != tag.Tag))
        {
            commands.Add(["docker", "tag", local, $"{repository.Name}:{extra}"]);
        }

        foreach (var pushed in new[] { tag.Tag }.Concat(request.AdditionalTags.Where(t => t != tag.Tag)))
        {
            commands.Add(["docker", "push", $"{repository.Name}:{pushed}"]);
        }

        if (request.RemoveLocal)
        {
            commands.Add(["docker", "rmi", local]);
        }

        var problems = new List<string>();
        if (!File.Exists(dockerfile))
        {
            problems.Add($"the Dockerfile {dockerfile} does not exist");
        }

        if (request.RecordPath is { } recordPath)
        {
            try
            {
                Records.BuildRecordStore.CheckWritable(recordPath);
            }
            catch (BadInputException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return new ReleasePlan(repository.Name, tag, commands, state, detail, request.RecordPath is { } path ? Path.GetFullPath(path) : null, problems);
    }
}
