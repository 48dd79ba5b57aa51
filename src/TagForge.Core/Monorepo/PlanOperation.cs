using Microsoft.Extensions.Logging;
using TagForge.Content;
using TagForge.Errors;
using TagForge.Git;
using TagForge.Records;
using TagForge.Services;
using TagForge.Tagging;

namespace TagForge.Monorepo;

/// <summary><c>tagforge plan</c>: the release's decisions, once, for a matrix of jobs.</summary>
public sealed record PlanRequest
{
    /// <summary>What to plan: the images, <c>--skip-unchanged</c>, <c>--changed-since</c>, and the shared settings.</summary>
    public MonorepoRequest Release { get; init; } = new();

    /// <summary>Where to write the plan; nothing is written when null.</summary>
    public string? Output { get; init; }
}

/// <summary>The plan, and where it was written.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Path">The file, as given; null when not written.</param>
public sealed record PlanResult(ReleasePlanFile Plan, string? Path);

/// <summary>
/// The entry point of <c>tagforge plan</c>: reads <c>images:</c>, fixes the time and build number, renders every
/// image's tag, computes its content hash, asks the registry which content it holds already
/// (<c>--skip-unchanged</c>) and lists the build jobs. The registry is only read.
/// </summary>
public static class PlanOperation
{
    /// <summary>Plans <paramref name="request"/>.</summary>
    /// <exception cref="BadInputException">Bad config, a cycle, <c>{seq}</c> in a template (a matrix cannot number tags), an unwritable output.</exception>
    public static async Task<PlanResult> RunAsync(PlanRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var monorepo = request.Release;
        var prepared = MonorepoPlanner.Prepare(monorepo, services);
        var tagBase = prepared.Release.Tag;
        var changes = monorepo.ChangedSince is { } since ? ContextChanges.Since(tagBase.RepositoryPath!, since) : null;
        var previous = prepared.RecordPath is { } recordPath ? BuildRecordFile.ReadOrEmpty(services.Resolve(recordPath)!) : BuildRecord.Empty;
        var entries = new Dictionary<string, PlannedImageEntry>(StringComparer.Ordinal);
        using var snapshot = ContentSnapshot.Open(tagBase.RepositoryPath!);
        TagResult? first = null;
        foreach (var image in prepared.Images)
        {
            if (TagTemplate.Parse(image.Template).Uses(PlaceholderKind.Seq))
            {
                throw new BadInputException($"image '{image.Config.Name}': {{seq}} is numbered from the registry at push time; a plan fixes tags beforehand: use {{build}} or {{time}}");
            }

            var bases = image.Config.DependsOn.Select(name => entries[name]).ToList();
            var platforms = ImageRelease.Platforms(prepared.Release, image);
            var hash = ContentHasher.Compute(new ContentInput
            {
                ContextPath = image.Context,
                Dockerfile = image.Dockerfile,
                BuildArgs = image.Config.BuildArgs,
                Target = image.Config.Target,
                Platform = string.Join(',', platforms),
                BaseDigests = bases.ToDictionary(b => b.Name, b => b.ContentHash ?? b.ReusedDigest ?? "", StringComparer.Ordinal),
            }, snapshot);
            var tagRequest = tagBase with { Template = image.Template, Preset = null, Content = hash };
            var tag = TagGenerator.Generate(tagRequest, services.Environment, services.Clock);
            first ??= tag;
            var contentTag = image.ContentOnly ? tag.Tag : MonorepoPlanner.ContentTagFor(hash);
            var baseBuilt = bases.Any(b => b.Build);
            string? reusedDigest = null;
            string? reusedTag = null;
            var changed = changes is null || baseBuilt || changes.Touches(image.Context, image.Config.Dockerfile);
            if (!changed && previous.Find(image.Repository.Name) is { } recorded)
            {
                (reusedDigest, reusedTag) = (recorded.Digest, recorded.Tag);
            }
            else if (!baseBuilt && (monorepo.SkipUnchanged || !changed))
            {
                using var registry = services.Registries.Open(prepared.Release.Registry with { CredentialRegistry = image.Repository.Registry, MaxRetryAttempts = 0 });
                var existing = await registry.Client.HeadManifestAsync(image.Repository.With(contentTag, null), cancellationToken).ConfigureAwait(false);
                (reusedDigest, reusedTag) = (existing?.Digest.ToString(), existing is null ? null : contentTag);
            }

            var build = reusedDigest is null;
            var stage = bases.Where(b => b.Build).Select(b => b.Stage + 1).DefaultIfEmpty(0).Max();
            List<string> additional = [.. prepared.Release.AdditionalTags];
            if (!image.ContentOnly)
            {
                additional.Add(contentTag);
            }

            entries[image.Config.Name] = new PlannedImageEntry(
                image.Config.Name, image.Repository.Name, build ? tag.Tag : reusedTag!, hash, platforms, build, reusedDigest, reusedTag, image.Config.DependsOn, stage, additional);
            services.Logger.LogInformation("{Name}: {Decision}", image.Config.Name, build ? $"build {image.Repository.Name}:{tag.Tag}" : $"reuse {image.Repository.Name}@{reusedDigest}");
        }

        using var git = GitRepositoryReader.Open(tagBase.RepositoryPath!);
        var head = git.ReadHead();
        var matrix = entries.Values.Where(e => e.Build)
            .SelectMany(e => e.Platforms.Count == 0 ? [new MatrixJob(e.Name, "", e.Stage)] : e.Platforms.Select(p => new MatrixJob(e.Name, p, e.Stage)))
            .OrderBy(job => job.Stage)
            .ToList();
        var plan = new ReleasePlanFile(
            ReleasePlanFile.CurrentSchemaVersion,
            head.Sha,
            first?.Branch ?? head.Branch,
            first?.Dirty ?? false,
            first?.Provider ?? "local",
            first?.BuildNumber,
            first?.BuildUrl,
            first?.Time ?? services.Clock.GetUtcNow(),
            [.. prepared.Images.Select(i => entries[i.Config.Name])],
            matrix);
        if (request.Output is { } output)
        {
            plan.Write(services.Resolve(output)!);
        }

        return new PlanResult(plan, request.Output);
    }
}
