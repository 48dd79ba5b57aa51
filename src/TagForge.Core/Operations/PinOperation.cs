using TagForge.IO;
using TagForge.Pinning;
using TagForge.Records;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary>Pins the images of deployment files to the digests in a build record, changing nothing else.</summary>
public static class PinOperation
{
    /// <summary>Pins every file of <paramref name="request"/> in parallel, writing each changed one atomically unless it is a dry run or a check.</summary>
    /// <exception cref="Errors.BadInputException">The record is missing or unreadable, or no paths were given (bad files are <see cref="DeploymentResult.Errors"/>).</exception>
    public static Task<PinResult> RunAsync(PinRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        return Task.FromResult(Run(request, services, cancellationToken));
    }

    private static PinResult Run(PinRequest request, TagForgeServices services, CancellationToken cancellationToken)
    {
        var recordPath = request.Record ?? BuildRecordFile.DefaultPath;
        var index = new RecordIndex(BuildRecordFile.Read(services.Resolve(recordPath)!, recordPath), recordPath);
        var options = new PinOptions(request.Style);
        var check = request.Check ?? false;
        var dryRun = request.DryRun ?? false;
        var verb = dryRun ? "would pin" : "pinned";

        var matched = 0;
        (PinnedFile Pin, FileOutcome Outcome, Finding? NotInRecord) Work(DeploymentFile file, AtomicFileBatch? writes)
        {
            var pin = Pinner.Pin(file, index, options);
            if (!check && pin.Findings.FirstOrDefault(finding => finding.Code == "duplicate-key") is { } duplicate)
            {
                // Which of the two values is deployed depends on the reader: refuse the file (exit 2), pin the others.
                throw new Errors.BadInputException($"{duplicate.File}:{duplicate.Line}:{duplicate.Column}: {duplicate.Message}; not pinned");
            }

            var inRecord = 0;
            foreach (var site in file.Images)
            {
                inRecord += site.Reference is { } reference && index.TryGet(reference, out _, out _) ? 1 : 0;
            }

            Interlocked.Add(ref matched, inRecord);

            // A file with images of which the record holds none was meant to be pinned by some other record, or the
            // record names its repositories differently: either way --check cannot say it is pinned.
            var notInRecord = check && inRecord == 0 && file.Images.Count > 0
                ? Finding.At(file, file.Images[0], FindingSeverity.Error, "not-in-record",
                    $"none of this file's images is in the record {recordPath}, so it is not pinned to it; check the repository names, or check the file against its own record")
                : null;
            return (pin, check ? new FileOutcome(file.Name) : DeploymentFiles.Apply(pin, dryRun, verb, services, writes), notInRecord);
        }

        // A run that writes waits for any other rewriting the same tree, and syncs once at the end.
        var batch = check || dryRun
            ? DeploymentFiles.ForEach(request, services, file => Work(file, null), cancellationToken, maxWorkers: request.MaxWorkers)
            : DeploymentFiles.ForEachWriting(request, services, Work, cancellationToken, request.MaxWorkers);

        var files = batch.Done.Select(done => done.Outcome).ToList();
        return new PinResult
        {
            Files = files,
            Pins = [.. batch.Done.Select(done => done.Pin)],
            Errors = batch.Errors,
            Findings = check ? [.. batch.Done.SelectMany(done => done.NotInRecord is { } notInRecord ? [notInRecord, .. done.Pin.Findings] : done.Pin.Findings)] : [],

            // A deploy step that pins nothing deploys whatever the files said: say so loudly. What a file holds that
            // pin cannot read or rewrite is a warning here, and fails --check (as a finding).
            Warnings =
            [
                .. check ? [] : DeploymentFiles.Warnings(batch.Done.SelectMany(done => done.Pin.Findings).Where(finding => finding.Code != "unpinned")),
                .. matched == 0 && files.Count > 0 && !check
                    ? [$"no image in these files is in the record {recordPath} ({Plural.Of(index.Count, "repository")}); check the repository names"]
                    : Array.Empty<string>(),
            ],
            Summary = check
                ? null
                : $"{verb} {Plural.Of(files.Sum(file => file.Changes.Count), "image")} in {Plural.Of(files.Count(file => file.Changes.Count > 0), "file")}",
        };
    }
}
