using Microsoft.Extensions.Logging;
using TagForge.Ci;
using TagForge.Errors;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// <c>tagforge promote</c>: puts a tested image under another tag, repository or registry with the same digest
/// (every platform of an index, and its signatures), guarded like a release: the same digest already there is
/// success (what is still missing, a signature that arrived later, is completed), another digest is refused (exit 3)
/// unless overwriting was allowed. The destination tag is written last (<see cref="ImageCopier"/>); signature tags
/// at the destination that hold another digest are left as they are with a warning unless replacing was asked for. A missing source is
/// exit 3 (the registry answered: the image is not there); an unreachable or failing registry, or a destination
/// that would store another digest, is exit 1 with nothing recorded.
/// </summary>
public static class PromoteOperation
{
    /// <summary>Runs the promotion.</summary>
    /// <exception cref="BadInputException">A malformed source or destination, a record entry that is not there.</exception>
    /// <exception cref="PolicyRefusalException">The source is missing, or the destination tag holds another image.</exception>
    /// <exception cref="ExternalFailureException">A registry failed; nothing was recorded.</exception>
    public static async Task<PromoteResult> RunAsync(PromoteRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (request.Problem() is { } problem)
        {
            throw new BadInputException(problem);
        }

        var (source, sourceText) = ResolveSource(request, services);
        var destination = ResolveDestination(request.Destination, source);
        var concurrency = RegistryConcurrency.Resolve(request.MaxConcurrency, services.Environment);
        var recordPath = request.Record ?? (request.Image is not null ? BuildRecordFile.DefaultPath : null);
        if (recordPath is not null)
        {
            // Fail before any copy: a promotion that cannot be recorded should not happen half-way.
            BuildRecordStore.CheckWritable(services.Resolve(recordPath)!);
        }

        var kind = source.FullName == destination.FullName ? PromoteKind.Retag
            : source.Registry == destination.Registry ? PromoteKind.Mount
            : PromoteKind.Copy;
        var logger = services.Logger;
        using var session = services.Registries.Open(request.Registry ?? new RegistryAccess());
        var client = session.Client;

        var manifest = await client.GetManifestAsync(source, cancellationToken).ConfigureAwait(false)
            ?? throw new PolicyRefusalException($"{sourceText} does not exist in {source.Registry} (deleted, never pushed, or a typo); nothing to promote");
        var destinationText = $"{destination.Name}:{destination.Tag}";
        if (source.FullName == destination.FullName && source.Tag == destination.Tag)
        {
            throw new BadInputException($"{sourceText} and {destinationText} are the same tag; name another tag or repository");
        }

        // The guard, as for a release: the same digest is done, another one is refused unless allowed. Checked before
        // any copy (fail fast), and again by the guarded write of the tag at the very end.
        var existing = await client.HeadManifestAsync(destination, cancellationToken).ConfigureAwait(false);
        var tagHeld = existing is not null && existing.Digest == manifest.Digest;
        string? backupTag = null;
        if (tagHeld)
        {
            // The tag is written last, so it being there means the image was whole; what may still be missing is a
            // signature or referrer that arrived at the source later (or an older, interrupted promotion): look.
            logger.LogInformation("{Destination} already holds {Digest}", destinationText, manifest.Digest);
        }
        else if (existing is not null)
        {
            if (!request.AllowOverwrite)
            {
                throw new PolicyRefusalException(
                    $"{destinationText} already exists in {destination.Registry} with digest {existing.Digest}, and the image promoted is {manifest.Digest}; refusing to overwrite it (use another tag, or --allow-overwrite, with --backup-tag to keep the old one)");
            }

            if (request.BackupTag is { } template)
            {
                backupTag = await BackUpAsync(client, destination, existing.Digest, template, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("kept {Old} reachable as {Destination}:{Backup}", existing.Digest, destination.Name, backupTag);
            }

            logger.LogWarning("overwriting {Destination} (was {Digest}) because --allow-overwrite was given", destinationText, existing.Digest);
        }

        var ecrSettings = (request.Registry ?? new RegistryAccess()).Ecr;
        var tagPolicy = new TagWritePolicy(
            request.AllowOverwrite ? TagConflict.Replace : TagConflict.Refuse,
            "it moved while the image was copied; use another tag, or --allow-overwrite",
            // ECR's own retag: PutImage of the same manifest, checked against its digest; an IMMUTABLE repository
            // refuses to move a tag (exit 3).
            kind == PromoteKind.Retag && ecrSettings.Applies(destination.Registry) ? EcrRegistryLookup.ClientFor(services.Ecr(ecrSettings), destination.Registry) : null);
        var options = new CopyOptions(
            concurrency, Signatures: !request.NoSignatures, request.ReplaceSignatures ? TagConflict.Replace : TagConflict.Keep, services.Progress, services.Clock);
        var report = await new ImageCopier(client, logger, options).CopyAsync(manifest, source, destination, tagPolicy, cancellationToken).ConfigureAwait(false);
        foreach (var kept in report.LeftAlone)
        {
            logger.LogWarning(
                "{Tag} holds {Existing}, not the source's {Wanted}: left as it is (--replace-signatures replaces it)",
                $"{kept.Tag.Name}:{kept.Tag.Tag}", kept.Previous, kept.Digest);
        }

        var alreadyThere = tagHeld && report.NothingDone;
        if (alreadyThere)
        {
            logger.LogInformation("{Destination} is complete; nothing to promote", destinationText);
        }
        else
        {
            logger.LogInformation(
                "{Verb} {Source} to {Destination} ({Digest}): {Copied} blobs copied ({Bytes}), {Mounted} mounted, {Skipped} already there",
                tagHeld ? "completed the promotion of" : "promoted", sourceText, destinationText, manifest.Digest,
                report.Blobs.Count(blob => blob.Action == BlobAction.Copied), ImageCopier.FormatSize(report.BytesCopied),
                report.Blobs.Count(blob => blob.Action == BlobAction.Mounted), report.Blobs.Count(blob => blob.Action == BlobAction.Skipped));
        }

        var done = await ConcludeAsync(request, services, recordPath, sourceText, destination, manifest.Digest, cancellationToken).ConfigureAwait(false);
        return new PromoteResult
        {
            Source = source, Destination = destination, Digest = manifest.Digest, Kind = kind, Copy = report, AlreadyThere = alreadyThere,
            BackupTag = backupTag, Replaced = tagHeld ? null : existing?.Digest,
            Recorded = done.Recorded, RecordPath = done.Recorded is null ? null : recordPath, Outputs = done.Outputs,
        };
    }

    /// <summary>The backup tag <paramref name="template"/> names for the destination <paramref name="tag"/> and the replaced digest.</summary>
    public static string BackupTagFor(string template, string tag, Digest replaced)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(replaced);
        if (!template.Contains("{tag}", StringComparison.Ordinal) && !template.Contains("{digest}", StringComparison.Ordinal) && template == tag)
        {
            throw new BadInputException($"--backup-tag '{template}' is the destination tag itself; use {{tag}} or {{digest}}, e.g. {{tag}}-previous");
        }

        var result = template.Replace("{tag}", tag, StringComparison.Ordinal).Replace("{digest}", replaced.Hex[..12], StringComparison.Ordinal);
        return ImageTag.Explain(result) is { } problem
            ? throw new BadInputException($"--backup-tag '{template}' makes '{result}', which is not a valid tag: {problem}")
            : result;
    }

    private static async Task<string> BackUpAsync(IRegistryClient client, ImageReference destination, Digest old, string template, CancellationToken cancellationToken)
    {
        var tag = BackupTagFor(template, destination.Tag!, old);
        var manifest = await client.GetManifestAsync(destination.With(null, old), cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalFailureException($"{destination.Name}@{old} disappeared while it was being backed up; nothing was overwritten");
        var outcome = await GuardedTagWrite.WriteAsync(client, destination.With(tag, null), manifest, new TagWritePolicy(TagConflict.Keep), cancellationToken).ConfigureAwait(false);
        if (!outcome.HoldsDigest)
        {
            throw new PolicyRefusalException($"the backup tag {destination.Name}:{tag} already holds {outcome.Previous}; refusing to overwrite a backup (choose another --backup-tag, e.g. with {{digest}})");
        }

        return tag;
    }

    private static async Task<(PromotionRecord? Recorded, IReadOnlyList<string> Outputs)> ConcludeAsync(
        PromoteRequest request, TagForgeServices services, string? recordPath, string sourceText, ImageReference destination, Digest digest, CancellationToken cancellationToken)
    {
        var destinationText = $"{destination.Name}:{destination.Tag}";
        PromotionRecord? recorded = null;
        if (recordPath is not null)
        {
            var ci = CiDetector.Detect(services.Environment);
            var promotion = new PromotionRecord(
                sourceText, destinationText, digest.ToString(), services.Clock.GetUtcNow(),
                ci.IsLocal ? null : new BuildInfoRecord(ci.Provider, ci.BuildNumber, ci.BuildUrl));
            await BuildRecordStore.UpdateAsync(
                services.Resolve(recordPath)!,
                record => record.Promotions?.Any(entry => entry.Source == promotion.Source && entry.Destination == promotion.Destination && entry.Digest == promotion.Digest) == true
                    ? record
                    : record.WithPromotion(promotion),
                cancellationToken).ConfigureAwait(false);
            recorded = promotion;
            services.Logger.LogInformation("recorded the promotion to {Destination} in {Record}", destinationText, recordPath);
        }

        var outputs = new List<string>();
        List<KeyValuePair<string, string>> dotenv =
        [
            new("IMAGE_TAG", destination.Tag!),
            new("IMAGE_DIGEST", digest.ToString()),
            new("IMAGE_REF", $"{destination.Name}@{digest}"),
        ];
        if (request.Dotenv is { } path)
        {
            KeyValueOutputs.WriteDotenv(services.Resolve(path)!, dotenv);
            outputs.Add(path);
        }

        if (services.Environment.Read("GITHUB_OUTPUT") is { } output)
        {
            List<KeyValuePair<string, string>> pairs =
            [
                new("tag", destination.Tag!), new("digest", digest.ToString()), new("reference", $"{destination.Name}@{digest}"), new("source", sourceText),
            ];
            if (recordPath is not null)
            {
                pairs.Add(new("record", recordPath));
            }

            KeyValueOutputs.AppendToFile(output, KeyValueOutputs.FormatGitHub(pairs));
            outputs.Add(output);
        }

        if (services.Environment.Read("GITHUB_STEP_SUMMARY") is { } summary)
        {
            KeyValueOutputs.AppendToFile(summary, $"### Promoted {destination.Name}\n\n| | |\n|---|---|\n| From | `{sourceText}` |\n| To | `{destinationText}` |\n| Digest | `{digest}` |\n");
            outputs.Add(summary);
        }

        return (recorded, outputs);
    }

    private static (ImageReference Source, string Text) ResolveSource(PromoteRequest request, TagForgeServices services)
    {
        if (request.Image is { } name)
        {
            if (request.Source is not null)
            {
                throw new BadInputException("give either SOURCE or --image NAME (with --record), not both");
            }

            var path = request.Record ?? BuildRecordFile.DefaultPath;
            var record = BuildRecordFile.Read(services.Resolve(path)!, path);
            var entry = record.Images.FirstOrDefault(image => image.Name == name) ?? record.Find(name)
                ?? throw new BadInputException($"{path} has no image '{name}' (entries: {string.Join(", ", record.Images.Select(image => image.Name ?? image.Repository))})");
            if (!ImageReference.TryParse(entry.Repository, out var repository, out var error) || !Digest.TryParse(entry.Digest, out var recorded))
            {
                throw new BadInputException($"{path}: the entry '{name}' has no usable repository and digest ({error ?? entry.Digest})");
            }

            var reference = repository.With(null, recorded);
            return (reference, $"{repository.Name}@{recorded}");
        }

        if (request.Source is not { Length: > 0 } text)
        {
            throw new BadInputException("no source: give SOURCE (repo:tag or repo@sha256:…), or --record tagforge.json --image NAME");
        }

        if (!ImageReference.TryParse(text, out var source, out var problem))
        {
            throw new BadInputException($"source {problem}");
        }

        if (source.Tag is null && source.Digest is null)
        {
            throw new BadInputException($"source '{text}' names no tag or digest; say which image to promote (repo:tag or repo@sha256:…)");
        }

        return (source, text);
    }

    /// <summary>A bare tag stays in the source's repository; anything with a '/' (or an '@') is <c>repo[:tag]</c>.</summary>
    private static ImageReference ResolveDestination(string text, ImageReference source)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new BadInputException("no destination: give a tag, or repo[:tag]");
        }

        if (!text.Contains('/', StringComparison.Ordinal) && !text.Contains(':', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal))
        {
            return ImageTag.Explain(text) is { } problem
                ? throw new BadInputException($"destination '{text}' is not a valid tag: {problem}")
                : source.With(text, null);
        }

        if (!ImageReference.TryParse(text, out var destination, out var error))
        {
            throw new BadInputException($"destination {error}");
        }

        if (destination.Digest is not null)
        {
            throw new BadInputException($"destination '{text}' names a digest; name a tag (the digest is the source's, always)");
        }

        var tag = destination.Tag ?? source.Tag
            ?? throw new BadInputException($"destination '{text}' names no tag and the source is a digest; say which tag (repo:tag)");
        return destination.With(tag, null);
    }
}
