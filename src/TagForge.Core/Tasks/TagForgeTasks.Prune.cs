using TagForge.Errors;
using TagForge.Operations;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Plans (and with <see cref="PruneSettings.Apply"/>, deletes) what nothing recorded or deployed keeps (<c>tagforge prune</c>).</summary>
    /// <returns>The plan, and what was deleted.</returns>
    /// <exception cref="BadInputException">No keep set, or a keep file that cannot be read.</exception>
    /// <exception cref="PolicyRefusalException">With <see cref="PruneSettings.Check"/>: a referenced digest is missing.</exception>
    /// <exception cref="ExternalFailureException">A registry failed or cannot delete.</exception>
    public static PruneResult Prune(PruneSettings settings) => Wait(PruneAsync(settings));

    /// <inheritdoc cref="Prune(PruneSettings)"/>
    public static PruneResult Prune(Configure<PruneSettings> configure) => Prune(Apply(configure));

    /// <inheritdoc cref="Prune(PruneSettings)"/>
    public static async Task<PruneResult> PruneAsync(PruneSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        var result = await PruneOperation.RunAsync(settings.ToRequest(), services, cancellationToken).ConfigureAwait(false);
        return result.Missing.Count > 0
            ? throw new PolicyRefusalException($"{Plural.Of(result.Missing.Count, "digest")} the keep set references no longer exist in {result.Repository.Name}: {string.Join(", ", result.Missing.Select(missing => missing.Digest))}")
            : result;
    }

    /// <inheritdoc cref="Prune(PruneSettings)"/>
    public static Task<PruneResult> PruneAsync(Configure<PruneSettings> configure, CancellationToken cancellationToken = default) =>
        PruneAsync(Apply(configure), cancellationToken);
}
