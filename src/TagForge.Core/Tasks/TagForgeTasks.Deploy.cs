using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Pinning;
using TagForge.Records;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Services;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Pins the images of deployment files to the digests in a build record (<c>tagforge pin</c>), changing nothing else.</summary>
    /// <returns>Each file's new text and changes (written unless <see cref="PinSettings.DryRun"/>).</returns>
    /// <exception cref="BadInputException">A missing or unparsable file or record.</exception>
    /// <exception cref="FindingsException">With <see cref="PinSettings.Check"/>: references not pinned to the record's digest.</exception>
    public static IReadOnlyList<PinResult> Pin(PinSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var logger = settings.EffectiveLogger;
        var record = new RecordIndex(BuildRecordFile.Read(settings.Resolve(settings.Record ?? BuildRecordFile.DefaultPath)!));
        var options = new PinOptions(settings.Style);
        var results = settings.ReadFiles().Select(file => Pinner.Pin(file, record, options)).ToList();
        if (settings.Check)
        {
            var findings = results.SelectMany(result => result.Findings).Where(f => f.Severity == FindingSeverity.Error).ToList();
            return findings.Count > 0 ? throw new FindingsException(findings) : results;
        }

        foreach (var result in results.Where(result => result.Changed))
        {
            if (!settings.DryRun)
            {
                AtomicFile.WriteAllBytes(result.File.Name, result.File.Encode(result.Text));
            }

            logger.LogInformation("{Verb} {Count} image(s) in {File}", settings.DryRun ? "would pin" : "pinned", result.Changes.Count, result.File.Name);
        }

        return results;
    }

    /// <inheritdoc cref="Pin(PinSettings)"/>
    public static IReadOnlyList<PinResult> Pin(Configure<PinSettings> configure) => Pin(Apply(configure));

    /// <inheritdoc cref="Pin(PinSettings)"/>
    public static Task<IReadOnlyList<PinResult>> PinAsync(PinSettings settings, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Pin(settings));
    }

    /// <inheritdoc cref="Pin(PinSettings)"/>
    public static Task<IReadOnlyList<PinResult>> PinAsync(Configure<PinSettings> configure, CancellationToken cancellationToken = default) =>
        PinAsync(Apply(configure), cancellationToken);

    /// <summary>Checks that every digest-pinned image of the files still exists in its registry (<c>tagforge verify</c>).</summary>
    /// <returns>What was checked (no findings: every digest exists).</returns>
    /// <exception cref="FindingsException">A pinned digest is missing from its registry.</exception>
    /// <exception cref="ExternalFailureException">A registry failed or was unreachable, so a reference could not be checked.</exception>
    public static VerifyResult Verify(VerifySettings settings) => Wait(VerifyAsync(settings));

    /// <inheritdoc cref="Verify(VerifySettings)"/>
    public static VerifyResult Verify(Configure<VerifySettings> configure) => Verify(Apply(configure));

    /// <inheritdoc cref="Verify(VerifySettings)"/>
    public static async Task<VerifyResult> VerifyAsync(VerifySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var files = settings.ReadFiles();
        var environment = settings.EffectiveEnvironment;
        var logger = settings.EffectiveLogger;
        // ECR registries authenticate with GetAuthorizationToken (AWS credentials), so no docker login is needed.
        using var ecr = EcrCredentialSource.Create(environment, logger: logger);
        using var client = new RegistryClient(
            new RegistryClientOptions
            {
                Credentials = RegistryCredentialSources.Default(
                    environment, logger, settings.Credential is { } credential ? new ExplicitCredentialSource(credential) : null, ecr),
                InsecureRegistries = settings.InsecureRegistries,
            },
            logger);
        var result = await RegistryChecks.VerifyAsync(files, client, new RegistryCheckOptions(settings.Parallelism), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("verified {Requests} distinct digest(s): {Missing} missing, {Failures} not checked", result.Requests, result.Findings.Count, result.Failures.Count);
        if (result.Failures.Count > 0)
        {
            var failure = result.Failures[0];
            throw new ExternalFailureException($"{failure.File}:{failure.Line}:{failure.Column}: {failure.Message}");
        }

        return result.Findings.Count > 0 ? throw new FindingsException(result.Findings) : result;
    }

    /// <inheritdoc cref="Verify(VerifySettings)"/>
    public static Task<VerifyResult> VerifyAsync(Configure<VerifySettings> configure, CancellationToken cancellationToken = default) =>
        VerifyAsync(Apply(configure), cancellationToken);

    /// <summary>Finds references a deployment cannot rely on: no tag, a floating tag, no digest (<c>tagforge lint</c>).</summary>
    /// <returns>The warnings (errors throw).</returns>
    /// <exception cref="FindingsException">At least one error finding; the exception holds every finding.</exception>
    public static IReadOnlyList<Finding> Lint(LintSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new LintOptions(settings.FloatingTags.Count > 0 ? settings.FloatingTags : null);
        var findings = settings.ReadFiles().SelectMany(file => Linter.Lint(file, options)).ToList();
        foreach (var finding in findings)
        {
            settings.EffectiveLogger.Log(
                finding.Severity == FindingSeverity.Error ? LogLevel.Error : LogLevel.Warning,
                "{File}:{Line}:{Column}: {Message}", finding.File, finding.Line, finding.Column, finding.Message);
        }

        return findings.Any(f => f.Severity == FindingSeverity.Error) ? throw new FindingsException(findings) : findings;
    }

    /// <inheritdoc cref="Lint(LintSettings)"/>
    public static IReadOnlyList<Finding> Lint(Configure<LintSettings> configure) => Lint(Apply(configure));

    /// <inheritdoc cref="Lint(LintSettings)"/>
    public static Task<IReadOnlyList<Finding>> LintAsync(LintSettings settings, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Lint(settings));
    }

    /// <inheritdoc cref="Lint(LintSettings)"/>
    public static Task<IReadOnlyList<Finding>> LintAsync(Configure<LintSettings> configure, CancellationToken cancellationToken = default) =>
        LintAsync(Apply(configure), cancellationToken);
}
