using System.Net;
using Microsoft.Extensions.Logging;

namespace TagForge.Registry;

/// <summary>
/// Retries registry requests: exponential backoff with jitter for 429, 5xx, connection failures and per-attempt
/// timeouts, a bounded number of times, honouring <c>Retry-After</c>. It sits under the authentication handler, so
/// token requests are retried too. Written out rather than built with Polly: Polly validates its options by reflection
/// (DataAnnotations) when a pipeline is built, which cost every command several milliseconds of start-up under Native
/// AOT, on the path before the first request.
/// </summary>
internal sealed class RetryHandler(RegistryClientOptions options, ILogger logger) : DelegatingHandler
{
    /// <summary>Set on a request whose body is a stream that cannot be sent twice: it is sent once, never retried here.</summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("tagforge.no-retry");

    private readonly TimeSpan _maxRetryAfter = options.MaxRetryAfter ?? TimeSpan.FromSeconds(30);
    private readonly int _retries = Math.Max(0, options.MaxRetryAttempts ?? 3);
    private readonly TimeSpan _baseDelay = options.RetryBaseDelay ?? TimeSpan.FromMilliseconds(500);
    private readonly TimeSpan _attemptTimeout = options.AttemptTimeout ?? TimeSpan.FromSeconds(30);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(NoRetry, out var once) && once)
        {
            // Sent once and not bounded by the attempt timeout either: an upload takes as long as its bytes take.
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var retries = _retries;
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage? response = null;
            Exception? failure = null;
            try
            {
                response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or AttemptTimeoutException && attempt < retries)
            {
                failure = ex;
            }

            if (response is not null && (!IsTransient(response.StatusCode) || attempt >= retries))
            {
                return response;
            }

            var delay = (response is null ? null : RetryAfter(response, _maxRetryAfter)) ?? Backoff(attempt);
            var reason = failure?.Message ?? $"HTTP {(int)response!.StatusCode}";
            logger.LogWarning("registry request failed ({Reason}); retry {Attempt} of {Max} in {Delay:0.0}s", reason, attempt + 1, retries, delay.TotalSeconds);
            response?.Dispose();
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt, bounded by the attempt timeout; the caller's cancellation stays a cancellation.</summary>
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_attemptTimeout);
        try
        {
            return await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && attempt.IsCancellationRequested)
        {
            throw new AttemptTimeoutException(_attemptTimeout, ex);
        }
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Exponential from the base delay (×2 per retry), with ±25 % jitter so that parallel clients spread out.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        return TimeSpan.FromMilliseconds(exponential * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeSpan max)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } value ? TimeSpan.FromTicks(Math.Clamp(value.Ticks, 0, max.Ticks)) : null;
    }
}

/// <summary>A registry request's attempt got no answer within the attempt timeout.</summary>
internal sealed class AttemptTimeoutException(TimeSpan timeout, Exception inner)
    : TimeoutException($"no answer within {timeout.TotalSeconds:0.#}s", inner);
