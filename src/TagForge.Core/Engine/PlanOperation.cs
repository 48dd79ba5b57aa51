using TagForge.Errors;
using TagForge.Services;

namespace TagForge.Engine;

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
/// The entry point of <c>tagforge plan</c>: the <see cref="ImagePlanner"/>'s plan, written for a matrix of jobs. The
/// same plan <c>release --dry-run --format json</c> prints and <c>release</c> runs.
/// </summary>
public static class PlanOperation
{
    /// <summary>Plans <paramref name="request"/>.</summary>
    /// <exception cref="BadInputException">Bad config, a cycle, <c>{seq}</c> in a template (a matrix cannot number tags), an unwritable output.</exception>
    public static async Task<PlanResult> RunAsync(PlanRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var (_, plan) = await ImagePlanner.PlanAsync(request.Release, services, cancellationToken).ConfigureAwait(false);
        if (request.Output is { } output)
        {
            plan.Write(services.Resolve(output)!);
        }

        return new PlanResult(plan, request.Output);
    }
}
