using TagForge.IO;
using TagForge.Pinning;
using TagForge.Registry;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary>Checks that every digest-pinned image still exists in its registry: one HEAD per distinct digest, a bounded number in parallel.</summary>
public static class VerifyOperation
{
    /// <summary>Reads every file of <paramref name="request"/>, then asks the registries about the ones that could be read.</summary>
    /// <exception cref="Errors.BadInputException">No paths were given (bad files are <see cref="DeploymentResult.Errors"/>).</exception>
    public static async Task<VerifyResult> RunAsync(VerifyRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        using var reading = services.Meter("verify: reading files", ProgressUnit.Files);
        var batch = DeploymentFiles.ForEach(request, services, file => file, cancellationToken, reading);
        using var session = services.Registries.Open(request.Registry ?? new RegistryAccess());
        using var asking = services.Meter("verify: registry answers", ProgressUnit.References);
        var verification = await RegistryChecks.VerifyAsync(batch.Done, session.Client, new RegistryCheckOptions(RegistryConcurrency.Resolve(request.MaxConcurrency, services.Environment), Progress: asking), cancellationToken).ConfigureAwait(false);
        var pinned = batch.Done.Sum(file => file.Images.Count(site => site.Reference?.Digest is not null));
        return new VerifyResult
        {
            Files = [.. batch.Done.Select(file => new FileOutcome(file.Name))],
            Errors = batch.Errors,
            Findings = verification.Findings,
            Failures = verification.Failures,
            Pinned = pinned,
            Requests = verification.Requests,

            // Images verify cannot read are not verified: say which.
            Warnings = [.. DeploymentFiles.Warnings(batch.Done.SelectMany(file => file.Problems))],
            Summary = $"verified {Plural.Of(pinned, "pinned image")} ({Plural.Of(verification.Requests, "distinct digest")}): "
                + $"{verification.Findings.Count} missing, {verification.Failures.Count} not checked",
        };
    }
}
