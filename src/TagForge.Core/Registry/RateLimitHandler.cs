using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TagForge.Registry;

/// <summary>
/// Warns, once per registry, when a registry's rate-limit headers say the quota is nearly spent: <c>RateLimit-Remaining</c>,
/// <c>X-RateLimit-Remaining</c>, and Docker Hub's <c>ratelimit-remaining: 76;w=21600</c> (with <c>ratelimit-limit</c>).
/// "Nearly" is 10% of the limit when the registry says it, else 10 requests. It never delays or fails a request:
/// the retry handler below it honours <c>Retry-After</c> once a registry actually answers 429.
/// </summary>
internal sealed class RateLimitHandler(ILogger logger) : DelegatingHandler
{
    private static readonly string[] RemainingHeaders = ["RateLimit-Remaining", "X-RateLimit-Remaining"];
    private static readonly string[] LimitHeaders = ["RateLimit-Limit", "X-RateLimit-Limit"];

    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var host = request.RequestUri?.Authority;
        if (host is not null && !_warned.ContainsKey(host) && Remaining(response, RemainingHeaders) is { } remaining)
        {
            var limit = Remaining(response, LimitHeaders);
            var threshold = limit is { } max ? Math.Max(1, max / 10) : 10;
            if (remaining <= threshold && _warned.TryAdd(host, true))
            {
                logger.LogWarning(
                    "registry {Registry} says only {Remaining}{Limit} requests remain in its rate limit; later requests may be refused (429) until it resets",
                    host, remaining, limit is null ? "" : $" of {limit}");
            }
        }

        return response;
    }

    /// <summary>The first header of <paramref name="names"/> as a number (<c>76;w=21600</c> reads as 76).</summary>
    internal static long? Remaining(HttpResponseMessage response, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { } value)
            {
                var number = value.Split(';', ',')[0].Trim();
                if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }
            }
        }

        return null;
    }
}
