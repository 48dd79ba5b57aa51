using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.Operations;
using TagForge.Pinning;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Pins the images of deployment files to the digests in a build record (<c>tagforge pin</c>), changing nothing else.</summary>
    /// <returns>Each file's new text and changes (written unless <see cref="PinSettings.DryRun"/>).</returns>
    /// <exception cref="BadInputException">A missing or unparsable file or record (the other files are still pinned).</exception>
    /// <exception cref="FindingsException">With <see cref="PinSettings.Check"/>: references not pinned to the record's digest.</exception>
    public static IReadOnlyList<PinnedFile> Pin(PinSettings settings) => Wait(PinAsync(settings));

    /// <inheritdoc cref="Pin(PinSettings)"/>
    public static IReadOnlyList<PinnedFile> Pin(Configure<PinSettings> configure) => Pin(Apply(configure));

    /// <inheritdoc cref="Pin(PinSettings)"/>
    public static async Task<IReadOnlyList<PinnedFile>> PinAsync(PinSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        var result = await PinOperation.RunAsync(settings.ToRequest(), services, cancellationToken).ConfigureAwait(false);
        return Conclude(result, services.Logger).Pins;
    }

    /// <inheritdoc cref="Pin(PinSettings)"/>
    public static Task<IReadOnlyList<PinnedFile>> PinAsync(Configure<PinSettings> configure, CancellationToken cancellationToken = default) =>
        PinAsync(Apply(configure), cancellationToken);

    /// <summary>Checks that every digest-pinned image of the files still exists in its registry (<c>tagforge verify</c>).</summary>
    /// <returns>What was checked (no findings: every digest exists).</returns>
    /// <exception cref="BadInputException">A missing or unparsable file.</exception>
    /// <exception cref="FindingsException">A pinned digest is missing from its registry.</exception>
    /// <exception cref="ExternalFailureException">A registry failed or was unreachable, so a reference could not be checked.</exception>
    public static VerifyResult Verify(VerifySettings settings) => Wait(VerifyAsync(settings));

    /// <inheritdoc cref="Verify(VerifySettings)"/>
    public static VerifyResult Verify(Configure<VerifySettings> configure) => Verify(Apply(configure));

    /// <inheritdoc cref="Verify(VerifySettings)"/>
    public static async Task<VerifyResult> VerifyAsync(VerifySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return Conclude(await VerifyOperation.RunAsync(settings.ToRequest(), services, cancellationToken).ConfigureAwait(false), services.Logger);
    }

    /// <inheritdoc cref="Verify(VerifySettings)"/>
    public static Task<VerifyResult> VerifyAsync(Configure<VerifySettings> configure, CancellationToken cancellationToken = default) =>
        VerifyAsync(Apply(configure), cancellationToken);

    /// <summary>Pins every image, in a record or not, to the digest its registry holds now (<c>tagforge resolve</c>), changing nothing else.</summary>
    /// <returns>Each file's new text and changes (written unless <see cref="ResolveSettings.DryRun"/>).</returns>
    /// <exception cref="BadInputException">A missing or unparsable file.</exception>
    /// <exception cref="FindingsException">A registry does not hold a tag the files name.</exception>
    /// <exception cref="ExternalFailureException">A registry failed or was unreachable; nothing was written.</exception>
    public static ResolveResult Resolve(ResolveSettings settings) => Wait(ResolveAsync(settings));

    /// <inheritdoc cref="Resolve(ResolveSettings)"/>
    public static ResolveResult Resolve(Configure<ResolveSettings> configure) => Resolve(Apply(configure));

    /// <inheritdoc cref="Resolve(ResolveSettings)"/>
    public static async Task<ResolveResult> ResolveAsync(ResolveSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return Conclude(await ResolveOperation.RunAsync(settings.ToRequest(), services, cancellationToken).ConfigureAwait(false), services.Logger);
    }

    /// <inheritdoc cref="Resolve(ResolveSettings)"/>
    public static Task<ResolveResult> ResolveAsync(Configure<ResolveSettings> configure, CancellationToken cancellationToken = default) =>
        ResolveAsync(Apply(configure), cancellationToken);

    /// <summary>Finds references a deployment cannot rely on: no tag, a floating tag, no digest (<c>tagforge lint</c>).</summary>
    /// <returns>The warnings (errors throw).</returns>
    /// <exception cref="BadInputException">A missing or unparsable file.</exception>
    /// <exception cref="FindingsException">At least one error finding; the exception holds every finding.</exception>
    public static IReadOnlyList<Finding> Lint(LintSettings settings) => Wait(LintAsync(settings));

    /// <inheritdoc cref="Lint(LintSettings)"/>
    public static IReadOnlyList<Finding> Lint(Configure<LintSettings> configure) => Lint(Apply(configure));

    /// <inheritdoc cref="Lint(LintSettings)"/>
    public static async Task<IReadOnlyList<Finding>> LintAsync(LintSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return Conclude(await LintOperation.RunAsync(settings.ToRequest(), services, cancellationToken).ConfigureAwait(false), services.Logger).Findings;
    }

    /// <inheritdoc cref="Lint(LintSettings)"/>
    public static Task<IReadOnlyList<Finding>> LintAsync(Configure<LintSettings> configure, CancellationToken cancellationToken = default) =>
        LintAsync(Apply(configure), cancellationToken);

    /// <summary>
    /// Logs what the CLI prints (notes, warnings, findings, bad files, the summary), then throws for the exit code the
    /// CLI would return: bad files, then registry failures, then error findings.
    /// </summary>
    private static T Conclude<T>(T result, ILogger logger)
        where T : DeploymentResult
    {
        foreach (var note in result.Files.Select(file => file.Note).OfType<string>())
        {
            logger.LogInformation("{Note}", note);
        }

        foreach (var warning in result.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }

        foreach (var finding in result.Findings)
        {
            logger.Log(
                finding.Severity == FindingSeverity.Error ? LogLevel.Error : LogLevel.Warning,
                "{File}:{Line}:{Column}: {Message}", finding.File, finding.Line, finding.Column, finding.Message);
        }

        foreach (var error in result.Errors)
        {
            logger.LogError("{Error}", error);
        }

        var failures = result.Failures.Select(failure => $"{failure.File}:{failure.Line}:{failure.Column}: {failure.Message}").ToList();
        foreach (var failure in failures)
        {
            logger.LogError("{Failure}", failure);
        }

        if (result.Summary is not null)
        {
            logger.LogInformation("{Summary}", result.Summary);
        }

        return result.ExitCode switch
        {
            ExitCode.BadInput => throw new BadInputException(FirstOf(result.Errors)),
            ExitCode.ExternalFailure => throw new ExternalFailureException(FirstOf(failures)),
            ExitCode.PolicyRefusal => throw new FindingsException(result.Findings),
            _ => result,
        };
    }

    private static string FirstOf(IReadOnlyList<string> messages) =>
        messages.Count > 1 ? $"{messages[0]} (and {messages.Count - 1} more)" : messages[0];
}
