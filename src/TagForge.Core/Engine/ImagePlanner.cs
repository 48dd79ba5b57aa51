using Microsoft.Extensions.Logging;
using TagForge.Content;
using TagForge.Errors;
using TagForge.Git;
using TagForge.Records;
using TagForge.Release;
using TagForge.Services;
using TagForge.Tagging;

namespace TagForge.Engine;

/// <summary>
/// The one planner of a release: turns a layered request into a <see cref="ReleasePlanFile"/>, the data every road
/// runs (a release on one runner, <c>--dry-run</c>, <c>tagforge plan</c> and its matrix jobs). For each image: its
/// content identity (<see cref="ReleaseIdentity"/>, bases by their identity, so it is known before they are built),
/// its tag, built or reused and why, what it depends on, and the tags it pushes. The registry is only read: one
/// parallel round of HEADs for every content tag a decision needs.
/// </summary>
public static class ImagePlanner
{
    /// <summary>Plans <paramref name="request"/>; returns the prepared request beside the plan (the executor needs both).</summary>
    /// <exception cref="BadInputException">Bad config, a cycle, <c>{seq}</c> in a template, a context outside git.</exception>
    public static async Task<(PreparedRelease Prepared, ReleasePlanFile Plan)> PlanAsync(MonorepoRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var prepared = MonorepoPlanner.Prepare(request, services);
        var tagBase = prepared.Release.Tag;
        var changes = request.ChangedSince is { } since ? ContextChanges.Since(tagBase.RepositoryPath!, since) : null;
        // The record says what is unchanged only beside --changed-since (a registry lookup says it otherwise).
        var previous = changes is not null && prepared.RecordPath is { } recordPath ? BuildRecordFile.ReadOrEmpty(services.Resolve(recordPath)!) : BuildRecord.Empty;
        using var snapshot = ContentSnapshot.Open(tagBase.RepositoryPath!);
        var defaultPlatform = PlatformNames.EngineDefault(services.Environment, ReleaseBuilders.DockerEnvironment(prepared.Release));

        // 0. What each Dockerfile takes from outside: registry bases, resolved in one parallel round (their digest is
        // part of the identity, so a base that moved is built on), and inputs no identity can cover.
        var outside = prepared.Images.ToDictionary(image => image.Config.Name, image => ReadDockerfile(image, prepared.Release), StringComparer.Ordinal);
        var external = await ResolveBasesAsync(prepared, outside.Values.SelectMany(inputs => inputs.ExternalImages), services, cancellationToken).ConfigureAwait(false);

        // 1. Identities and tags, in dependency order (a base's identity stands for its {image:NAME}).
        var identities = new Dictionary<string, string>(StringComparer.Ordinal);
        var drafts = new List<Draft>();
        foreach (var image in prepared.Images)
        {
            var platforms = prepared.PlatformsOf(image);
            // {seq} is numbered by the registry at push time: one image for one platform keeps it in its planned tag
            // and the push numbers it; a plan of several images or platforms fixes every tag beforehand.
            var numbered = TagTemplate.Parse(image.Template).Uses(PlaceholderKind.Seq);
            if (numbered && (!request.OneImage || platforms.Count > 1))
            {
                throw new BadInputException($"image '{image.Config.Name}': {{seq}} is numbered from the registry at push time; a plan fixes tags beforehand (and every platform shares one): use {{build}} or {{time}}");
            }

            var identity = ReleaseIdentity.Compute(
                new ReleaseIdentity.Inputs(
                    image.Context,
                    image.Dockerfile,
                    [.. prepared.Release.BuildArgs, .. image.Config.BuildArgs],
                    prepared.Release.ExtraBuildArguments,
                    image.Config.Target,
                    platforms.Count == 0 ? null : string.Join(',', platforms),
                    BasesOf(image, identities, outside[image.Config.Name], external)),
                defaultPlatform,
                ReleaseIdentity.OwnOutputs(prepared.RecordPath, prepared.Release.DotenvPath, services),
                snapshot);
            identities[image.Config.Name] = identity;
            var tagRequest = tagBase with { Template = image.Template, Preset = null, Content = identity };
            var tag = numbered
                ? SequenceTags.Pending(tagRequest, services.Environment, services.Clock)
                : TagGenerator.Generate(tagRequest, services.Environment, services.Clock);
            var contentTag = image.ContentOnly ? tag.Tag : MonorepoPlanner.ContentTagFor(identity);
            var unchangedByGit = changes is not null && !changes.Touches(image.Context, image.Config.Dockerfile);
            // An input the identity cannot cover (ADD <url>, a secret, a base no registry answered for) makes the image
            // one that building again could change: it is never reused.
            var unknowable = NotReusable(outside[image.Config.Name], external);
            var recorded = unknowable is null && unchangedByGit && previous.Find(image.Repository.Name) is { } entry && entry.ContentHash == identity ? entry : null;
            // A template of {content} alone names the content: its tag held means this very content was released.
            var lookUp = unknowable is null && recorded is null && (request.SkipUnchanged || image.ContentOnly || unchangedByGit);
            var resolved = outside[image.Config.Name].ExternalImages.Where(external.Digests.ContainsKey)
                .ToDictionary(reference => reference, reference => external.Digests[reference], StringComparer.Ordinal);
            drafts.Add(new Draft(image, platforms, identity, tag, contentTag, recorded, lookUp, unknowable, resolved));
        }

        // 2. One parallel round of HEADs for the content tags the decisions need.
        var held = await LookUpAsync(prepared, drafts.Where(d => d.LookUp).ToList(), services, cancellationToken).ConfigureAwait(false);

        // 3. The decisions, in dependency order.
        var entries = new Dictionary<string, PlannedImageEntry>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            var (image, name) = (draft.Image, draft.Image.Config.Name);
            var bases = image.Config.DependsOn.Select(dependency => entries[dependency]).ToList();
            string? reusedDigest = null, reusedTag = null;
            string reason;
            if (draft.Recorded is { } recorded)
            {
                (reusedDigest, reusedTag) = (recorded.Digest, recorded.Tag);
                reason = $"unchanged since {request.ChangedSince}, and the record's {recorded.Reference} has this identity";
            }
            else if (held.TryGetValue(name, out var digest) && digest is not null)
            {
                (reusedDigest, reusedTag) = (digest, draft.ContentTag);
                reason = $"{image.Repository.Name}:{draft.ContentTag} holds this identity";
            }
            else
            {
                reason = draft.NotReusable is { } why
                    ? $"not reusable: {why}"
                    : !draft.LookUp
                    ? changes is null ? "reuse was not asked for (--skip-unchanged, --changed-since or a {content} tag)" : $"changed since {request.ChangedSince}"
                    : $"no image with this identity in {image.Repository.Registry} ({draft.ContentTag} is free)";
            }

            var build = reusedDigest is null;
            var stage = bases.Where(b => b.Build).Select(b => b.Stage + 1).DefaultIfEmpty(0).Max();
            List<string> additional = [.. prepared.Release.AdditionalTags.Where(t => t != draft.Tag.Tag)];
            // The content tag is what a later release looks for to reuse this image: every image of images: gets
            // one; the one image of --image only when it asks for reuse (its tags stay the ones it names).
            if (!image.ContentOnly && (!request.OneImage || request.SkipUnchanged))
            {
                additional.Add(draft.ContentTag);
            }

            entries[name] = new PlannedImageEntry(
                name, image.Repository.Name, build ? draft.Tag.Tag : reusedTag!, draft.Identity, draft.Platforms, build, reusedDigest, reusedTag,
                image.Config.DependsOn, stage, additional, reason, draft.ContentTag,
                draft.Platforms.Count > 1 ? [.. draft.Platforms.Select(p => PlatformTag(draft.Tag.Tag, p))] : [],
                image.Context, image.Dockerfile, image.Config.Target, image.Config.BuildArgs, draft.ExternalBases.Count == 0 ? null : draft.ExternalBases,
                PullBases: draft.ExternalBases.Count > 0 && draft.ExternalBases.Count == outside[name].ExternalImages.Distinct(StringComparer.Ordinal).Count());
            if (!request.OneImage)
            {
                // One image says what it does as it does it (and its dry run shows the decision).
                services.Logger.LogInformation("{Name}: {Decision} ({Reason})", name, build ? $"build {image.Repository.Name}:{draft.Tag.Tag}" : $"reuse {image.Repository.Name}@{reusedDigest}", reason);
            }
        }

        using var git = GitRepositoryReader.Open(tagBase.RepositoryPath!);
        var head = git.ReadHead();
        var first = drafts.FirstOrDefault()?.Tag;
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
            matrix,
            prepared.RecordPath);
        return (prepared, plan);
    }

    /// <summary>The tag of one platform's manifest: <c>TAG-linux-arm64</c> (<c>/</c> becomes <c>-</c>).</summary>
    public static string PlatformTag(string tag, string platform) => $"{tag}-{platform.Replace('/', '-')}";

    /// <summary>The digest each draft's content tag holds (null: free), asked all at once, one session per registry.</summary>
    private static async Task<Dictionary<string, string?>> LookUpAsync(PreparedRelease prepared, List<Draft> drafts, TagForgeServices services, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (drafts.Count == 0)
        {
            return found;
        }

        var sessions = new Dictionary<string, RegistrySession>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var host in drafts.Select(d => d.Image.Repository.Registry).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                sessions[host] = services.Registries.Open(prepared.Release.Registry with { CredentialRegistry = host, MaxRetryAttempts = 0 });
            }

            var answers = await Task.WhenAll(drafts.Select(d =>
                sessions[d.Image.Repository.Registry].Client.HeadManifestAsync(d.Image.Repository.With(d.ContentTag, null), cancellationToken))).ConfigureAwait(false);
            for (var i = 0; i < drafts.Count; i++)
            {
                found[drafts[i].Image.Config.Name] = answers[i]?.Digest.ToString();
            }

            return found;
        }
        finally
        {
            foreach (var session in sessions.Values)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>The external bases and unknowable inputs of <paramref name="image"/>'s Dockerfile, with every build argument.</summary>
    private static DockerfileInputs ReadDockerfile(PlannedImage image, ReleaseRequest release)
    {
        if (!File.Exists(image.Dockerfile))
        {
            // The build reports a missing Dockerfile itself (and a dry run lists it as a problem).
            return new DockerfileInputs([], []);
        }

        var arguments = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var argument in release.BuildArgs.Concat(image.Config.BuildArgs))
        {
            var eq = argument.IndexOf('=', StringComparison.Ordinal);
            arguments[eq < 0 ? argument : argument[..eq]] = eq < 0 ? null : argument[(eq + 1)..];
        }

        var inputs = DockerfileInputs.Read(image.Dockerfile, arguments);
        // A base of this release ({image:NAME}) counts by its identity; one named through an unset argument is no reference.
        return inputs with { ExternalImages = [.. inputs.ExternalImages.Where(reference => !reference.Contains('{', StringComparison.Ordinal) && !reference.Contains('$', StringComparison.Ordinal))] };
    }

    /// <summary>The digest each external base resolves to now, asked all at once (one session per registry, no retries).</summary>
    private static async Task<BaseResolution> ResolveBasesAsync(PreparedRelease prepared, IEnumerable<string> references, TagForgeServices services, CancellationToken cancellationToken)
    {
        var distinct = references.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return new BaseResolution(new Dictionary<string, string>(), []);
        }

        using var session = services.Registries.Open(prepared.Release.Registry with { MaxRetryAttempts = 0 });
        return await BaseImages.ResolveAsync(distinct, session.Client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bases the identity covers: this release's by their identity, registry images by their digest now.</summary>
    private static Dictionary<string, string> BasesOf(PlannedImage image, Dictionary<string, string> identities, DockerfileInputs inputs, BaseResolution external)
    {
        var bases = image.Config.DependsOn.ToDictionary(name => name, name => identities[name], StringComparer.Ordinal);
        foreach (var reference in inputs.ExternalImages)
        {
            bases[reference] = external.Digests.TryGetValue(reference, out var digest) ? digest : "unresolved";
        }

        return bases;
    }

    /// <summary>Why building <paramref name="inputs"/> again could give another image, or null when the identity covers every input.</summary>
    private static string? NotReusable(DockerfileInputs inputs, BaseResolution external)
    {
        var reasons = inputs.UnknowableInputs
            .Concat(inputs.ExternalImages.Where(reference => !external.Digests.ContainsKey(reference))
                .Select(reference => external.Unknown.FirstOrDefault(line => line.Contains(reference, StringComparison.Ordinal)) ?? $"the base image {reference} could not be resolved"))
            .ToList();
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private sealed record Draft(
        PlannedImage Image, IReadOnlyList<string> Platforms, string Identity, TagResult Tag, string ContentTag, ImageRecord? Recorded, bool LookUp, string? NotReusable,
        IReadOnlyDictionary<string, string> ExternalBases);
}
