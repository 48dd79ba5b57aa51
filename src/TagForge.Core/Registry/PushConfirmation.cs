using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// Reads back the manifest of a tag TagForge has just pushed, waiting out a registry's read-after-write lag: GHCR
/// (and registries behind a CDN or an eventually consistent store) may answer 404 for a few seconds after a push
/// succeeded, and docker's own workflows retry on it. Only a 404 is retried, with doubling delays and a fixed number
/// of attempts (by default 6 over about 8 s); any other failure is the registry's answer at once. Never used for a
/// reference TagForge did not just push: <c>verify</c> of an old pin fails fast on 404.
/// </summary>
public static class PushConfirmation
{
    /// <summary>The default bounds: 6 attempts, 250 ms then doubling up to 4 s between them (7.75 s of waiting at most).</summary>
    public static PushConfirmationOptions Default { get; } = new(Attempts: 6, FirstDelay: TimeSpan.FromMilliseconds(250), LongestDelay: TimeSpan.FromSeconds(4));

    /// <summary>
    /// The manifest of <paramref name="pushed"/> (its digest and body from one answer, so the two agree), or
    /// <see langword="null"/> when it is still missing after every attempt. Failures other than 404 are thrown as
    /// <see cref="IRegistryClient.GetManifestAsync"/> throws them.
    /// </summary>
    public static Task<RegistryManifest?> ConfirmAsync(IRegistryClient registry, ImageReference pushed, CancellationToken cancellationToken = default) =>
        ConfirmAsync(registry, pushed, Default, cancellationToken);

    /// <summary>As <see cref="ConfirmAsync(IRegistryClient, ImageReference, CancellationToken)"/>, within <paramref name="bounds"/>.</summary>
    public static async Task<RegistryManifest?> ConfirmAsync(IRegistryClient registry, ImageReference pushed, PushConfirmationOptions bounds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(pushed);
        ArgumentNullException.ThrowIfNull(bounds);
        var delay = bounds.FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            if (await registry.GetManifestAsync(pushed, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                return manifest;
            }

            if (attempt >= bounds.Attempts)
            {
                return null;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, bounds.LongestDelay.Ticks));
        }
    }
}

/// <summary>How long <see cref="PushConfirmation"/> waits for a pushed manifest to become readable.</summary>
/// <param name="Attempts">HEAD requests in all (at least 1).</param>
/// <param name="FirstDelay">The wait after the first 404; each later wait doubles.</param>
/// <param name="LongestDelay">The cap on one wait.</param>
public sealed record PushConfirmationOptions(int Attempts, TimeSpan FirstDelay, TimeSpan LongestDelay);
