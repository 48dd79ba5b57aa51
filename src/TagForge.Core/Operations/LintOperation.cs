using TagForge.Pinning;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary>Finds references a deployment cannot rely on: no tag, <c>latest</c> or another floating tag, and no digest.</summary>
public static class LintOperation
{
    /// <summary>Lints every file of <paramref name="request"/> in parallel; findings in path order.</summary>
    /// <exception cref="Errors.BadInputException">No paths were given (bad files are <see cref="DeploymentResult.Errors"/>).</exception>
    public static Task<LintResult> RunAsync(LintRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var options = new LintOptions(request.FloatingTags);
        var batch = DeploymentFiles.ForEach(request, services, file => (File: file.Name, Findings: Linter.Lint(file, options)), cancellationToken);
        return Task.FromResult(new LintResult
        {
            Files = [.. batch.Done.Select(done => new FileOutcome(done.File))],
            Errors = batch.Errors,
            Findings = [.. batch.Done.SelectMany(done => done.Findings)],
        });
    }
}
