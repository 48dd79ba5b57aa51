using TagForge.IO;
using TagForge.Pinning;
using TagForge.Registry;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary>Pins every image to the digest its registry holds now (like kbld), changing nothing else.</summary>
public static class ResolveOperation
{
    /// <summary>Reads every file of <paramref name="request"/>, asks the registries, then writes the files in parallel unless it is a dry run.</summary>
    /// <exception cref="Errors.BadInputException">No paths were given (bad files are <see cref="DeploymentResult.Errors"/>).</exception>
    public static async Task<ResolveResult> RunAsync(ResolveRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        using var reading = services.Meter("resolve: reading files", ProgressUnit.Files);
        var loaded = DeploymentFiles.ForEach(request, services, file => file, cancellationToken, reading);
        RegistryResolution resolution;
        using (var session = services.Registries.Open(request.Registry ?? new RegistryAccess()))
        using (var asking = services.Meter("resolve: registry answers", ProgressUnit.References))
        {
            var options = new RegistryCheckOptions(RegistryConcurrency.Resolve(request.MaxConcurrency, services.Environment), request.Style, asking);
            resolution = await RegistryChecks.ResolveAsync(loaded.Done, session.Client, options, cancellationToken).ConfigureAwait(false);
        }

        var dryRun = request.DryRun ?? false;
        var verb = dryRun ? "would resolve" : "resolved";

        // Write only when every registry answered: a half-resolved tree is worse than none.
        using var writing = services.Meter(dryRun ? "resolve: comparing files" : "resolve: writing files", ProgressUnit.Files, resolution.Files.Count);
        var written = resolution.Failures.Count == 0
            ? DeploymentFiles.ForEach(resolution.Files, pin => Counted(writing, DeploymentFiles.Apply(pin, dryRun, verb, services)), cancellationToken)
            : new FileBatch<FileOutcome>([], []);
        writing.Finish();
        return new ResolveResult
        {
            Files = written.Done,
            Pins = resolution.Files,
            Errors = [.. loaded.Errors, .. written.Errors],
            Findings = resolution.Findings,
            Failures = resolution.Failures,
            Requests = resolution.Requests,

            // What resolve cannot read or rewrite is said, never skipped in silence.
            Warnings = [.. DeploymentFiles.Warnings(resolution.Files.SelectMany(file => file.Findings))],
            Summary = $"{Plural.Of(resolution.Requests, "distinct reference")} resolved; "
                + $"{(dryRun ? "would change" : "changed")} {Plural.Of(written.Done.Sum(file => file.Changes.Count), "image")}",
        };
    }

    private static T Counted<T>(ProgressMeter meter, T done)
    {
        meter.Add(1);
        return done;
    }
}
