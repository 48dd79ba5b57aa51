using System.Collections.Concurrent;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Pinning;

/// <summary>Options for <see cref="RegistryChecks.VerifyAsync"/> and <see cref="RegistryChecks.ResolveAsync"/>.</summary>
/// <param name="MaxConcurrency">Registry requests in flight at once (<see cref="RegistryConcurrency.Default"/> when null).</param>
/// <param name="Style">How <c>resolve</c> writes references (default <see cref="PinStyle.TagDigest"/>: keeps the tag as written).</param>
/// <param name="Progress">Counts the distinct references answered out of all; none when null.</param>
public sealed record RegistryCheckOptions(int? MaxConcurrency = null, PinStyle? Style = null, ProgressMeter? Progress = null)
{
    internal int EffectiveConcurrency => MaxConcurrency is > 0 ? MaxConcurrency.Value : RegistryConcurrency.Default;
}

/// <summary>What <c>verify</c> found.</summary>
/// <param name="Findings">Digest-pinned references the registry does not hold (errors).</param>
/// <param name="Failures">References that could not be checked because a registry failed or was unreachable: never "missing".</param>
/// <param name="Requests">Distinct registry requests made.</param>
public sealed record RegistryVerification(IReadOnlyList<Finding> Findings, IReadOnlyList<Finding> Failures, int Requests);

/// <summary>What <c>resolve</c> did.</summary>
/// <param name="Files">The rewritten text of each file, in input order.</param>
/// <param name="Findings">References whose tag the registry does not hold (errors).</param>
/// <param name="Failures">References that could not be resolved because a registry failed or was unreachable.</param>
/// <param name="Requests">Distinct registry requests made.</param>
public sealed record RegistryResolution(IReadOnlyList<PinnedFile> Files, IReadOnlyList<Finding> Findings, IReadOnlyList<Finding> Failures, int Requests);

/// <summary>
/// The checks that ask registries: <c>verify</c> (does every pinned digest still exist?) and <c>resolve</c> (pin every
/// image to the digest its tag names now). One request per distinct reference, a bounded number in parallel.
/// </summary>
public static class RegistryChecks
{
    /// <summary>HEADs every distinct <c>repository@digest</c> in <paramref name="files"/>; references without a digest are not checked.</summary>
    public static async Task<RegistryVerification> VerifyAsync(IReadOnlyList<DeploymentFile> files, IRegistryClient client, RegistryCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(client);
        var sites = Sites(files).Where(pair => pair.Site.Reference?.Digest is not null).ToList();
        var answers = await HeadAllAsync(sites.Select(pair => pair.Site.Reference!.With(null, pair.Site.Reference.Digest)), client, options, cancellationToken).ConfigureAwait(false);

        var findings = new List<Finding>();
        var failures = new List<Finding>();
        foreach (var (file, site) in sites)
        {
            var key = site.Reference!.With(null, site.Reference.Digest);
            switch (answers[key.FullName + "@" + key.Digest])
            {
                case { Failure: { } failure }:
                    failures.Add(Finding.At(file, site, FindingSeverity.Error, "registry-error", $"cannot verify {site.Text}: {failure}"));
                    break;
                case { Manifest: null }:
                    findings.Add(Finding.At(file, site, FindingSeverity.Error, "missing",
                        $"{site.Text} does not exist in {site.Reference.Registry} (deleted or never pushed); rebuild and pin again"));
                    break;
            }
        }

        return new RegistryVerification(findings, failures, answers.Count);
    }

    /// <summary>Pins every image with a tag (or none: <c>latest</c>) to the digest its registry holds now; digest-only references are kept.</summary>
    public static async Task<RegistryResolution> ResolveAsync(IReadOnlyList<DeploymentFile> files, IRegistryClient client, RegistryCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(client);
        var sites = Sites(files).Where(pair => IsResolvable(pair.Site)).ToList();
        var answers = await HeadAllAsync(sites.Select(pair => Resolvable(pair.Site.Reference!)), client, options, cancellationToken).ConfigureAwait(false);

        var findings = new List<Finding>();
        var failures = new List<Finding>();
        var style = options?.Style ?? PinStyle.TagDigest;
        var results = new List<PinnedFile>();
        foreach (var file in files)
        {
            var pinned = Pinner.Rewrite(file, site =>
            {
                if (!IsResolvable(site) || site.Reference is not { } reference)
                {
                    return null;
                }

                var key = Resolvable(reference);
                var answer = answers[key.FullName + ":" + key.Tag];
                if (answer.Failure is { } failure)
                {
                    failures.Add(Finding.At(file, site, FindingSeverity.Error, "registry-error", $"cannot resolve {site.Text}: {failure}"));
                    return null;
                }

                if (answer.Manifest is null)
                {
                    findings.Add(Finding.At(file, site, FindingSeverity.Error, "not-found", $"{site.Text}: {key.Registry} has no {key.Repository}:{key.Tag}"));
                    return null;
                }

                return (style == PinStyle.TagDigest ? reference.Tag : null, answer.Manifest.Digest);
            });

            // Rewrite's "unpinned" compares against a record; resolve reports its own. What it cannot read stays.
            results.Add(pinned with { Findings = [.. pinned.Findings.Where(finding => finding.Code != "unpinned")] });
        }

        return new RegistryResolution(results, findings, failures, answers.Count);
    }

    /// <summary>A literal reference with a tag, or with neither tag nor digest (<c>latest</c>), whose tag is written here.</summary>
    private static bool IsResolvable(ImageSite site) =>
        site.Reference is { } reference && !site.TagIsInherited && (reference.Tag is not null || reference.Digest is null);

    private static ImageReference Resolvable(ImageReference reference) => reference.With(reference.Tag ?? "latest", null);

    private static IEnumerable<(DeploymentFile File, ImageSite Site)> Sites(IReadOnlyList<DeploymentFile> files) =>
        files.SelectMany(file => file.Images.Select(site => (file, site)));

    private static async Task<Dictionary<string, Answer>> HeadAllAsync(IEnumerable<ImageReference> references, IRegistryClient client, RegistryCheckOptions? options, CancellationToken cancellationToken)
    {
        var distinct = new Dictionary<string, ImageReference>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            distinct.TryAdd(Key(reference), reference);
        }

        var progress = options?.Progress;
        progress?.SetTotal(distinct.Count);
        var answers = new ConcurrentDictionary<string, Answer>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options?.EffectiveConcurrency ?? RegistryConcurrency.Default, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(distinct, parallel, async (pair, token) =>
        {
            try
            {
                answers[pair.Key] = new Answer(await client.HeadManifestAsync(pair.Value, token).ConfigureAwait(false), null);
            }
            catch (TagForgeException ex)
            {
                answers[pair.Key] = new Answer(null, ex.Message);
            }
            catch (HttpRequestException ex)
            {
                answers[pair.Key] = new Answer(null, $"{pair.Value.Registry} is unreachable ({ex.Message})");
            }
            finally
            {
                progress?.Add(1);
            }
        }).ConfigureAwait(false);
        progress?.Finish();
        return new Dictionary<string, Answer>(answers, StringComparer.Ordinal);
    }

    private static string Key(ImageReference reference) =>
        reference.Digest is { } digest ? reference.FullName + "@" + digest : reference.FullName + ":" + reference.Tag;

    private sealed record Answer(ManifestInfo? Manifest, string? Failure);
}
