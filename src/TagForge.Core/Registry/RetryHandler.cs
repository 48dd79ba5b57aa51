using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TagForge.Registry;

/// <summary>
/// Retries registry requests with Polly: exponential backoff with jitter for 429, 5xx, connection failures and
/// per-attempt timeouts, a bounded number of times, honouring <c>Retry-After</c>. It sits under the authentication
/// handler, so token requests are retried too.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    /// <summary>Set on a request whose body is a stream that cannot be sent twice: it is sent once, never retried here.</summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("tagforge.no-retry");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public RetryHandler(RegistryClientOptions options, ILogger logger)
    {
        var maxRetryAfter = options.MaxRetryAfter ?? TimeSpan.FromSeconds(30);
        var attempts = options.MaxRetryAttempts ?? 3;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (attempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = attempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay ?? TimeSpan.FromMilliseconds(500),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, maxRetryAfter)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.Message ?? $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    logger.LogWarning("registry request failed ({Reason}); retry {Attempt} of {Max} in {Delay:0.0}s", reason, args.AttemptNumber + 1, attempts, args.RetryDelay.TotalSeconds);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(options.AttemptTimeout ?? TimeSpan.FromSeconds(30)).Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(NoRetry, out var once) && once
            ? await base.SendAsync(request, cancellationToken).ConfigureAwait(false)
            : await _pipeline.ExecuteAsync(
            static async (state, token) => await state.Handler.SendBaseAsync(state.Request, token).ConfigureAwait(false),
            (Handler: this, Request: request),
            cancellationToken).ConfigureAwait(false);

    private Task<HttpResponseMessage> SendBaseAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } value ? TimeSpan.FromTicks(Math.Clamp(value.Ticks, 0, max.Ticks)) : null;
    }
}
