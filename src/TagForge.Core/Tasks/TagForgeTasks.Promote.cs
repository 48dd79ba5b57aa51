using TagForge.Errors;
using TagForge.Operations;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Puts an image under another tag, repository or registry with the same digest (<c>tagforge promote</c>).</summary>
    /// <returns>What was copied, mounted and skipped, and the promotion recorded.</returns>
    /// <exception cref="BadInputException">A malformed source or destination.</exception>
    /// <exception cref="PolicyRefusalException">The source is missing, or the destination tag holds another image.</exception>
    /// <exception cref="ExternalFailureException">A registry failed; nothing was recorded.</exception>
    public static PromoteResult Promote(PromoteSettings settings) => Wait(PromoteAsync(settings));

    /// <inheritdoc cref="Promote(PromoteSettings)"/>
    public static PromoteResult Promote(Configure<PromoteSettings> configure) => Promote(Apply(configure));

    /// <inheritdoc cref="Promote(PromoteSettings)"/>
    public static async Task<PromoteResult> PromoteAsync(PromoteSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        return await PromoteOperation.RunAsync(settings.ToRequest(), services, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="Promote(PromoteSettings)"/>
    public static Task<PromoteResult> PromoteAsync(Configure<PromoteSettings> configure, CancellationToken cancellationToken = default) =>
        PromoteAsync(Apply(configure), cancellationToken);
}
