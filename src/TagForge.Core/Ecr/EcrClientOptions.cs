using TagForge.IO;

namespace TagForge.Ecr;

/// <summary>Where and how an <see cref="EcrClient"/> calls ECR.</summary>
/// <param name="Region">The region requests are signed for.</param>
/// <param name="Endpoint">The API endpoint (see <see cref="EcrEndpoint.Resolve"/>).</param>
public sealed record EcrClientOptions(string Region, Uri Endpoint)
{
    /// <summary>The account (registry id) to address; <see langword="null"/> is the caller's own.</summary>
    public string? RegistryId { get; init; }

    /// <summary>How many times a throttled or failed request is retried (Polly, exponential backoff with jitter).</summary>
    public int MaxRetryAttempts { get; init; } = 4;

    /// <summary>The first retry's delay.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Options for <paramref name="registry"/>: its region unless <paramref name="region"/> is given, and the endpoint from
    /// <paramref name="endpointUrl"/>, <c>AWS_ENDPOINT_URL_ECR</c>, <c>AWS_ENDPOINT_URL</c> or the regional one.
    /// </summary>
    public static EcrClientOptions For(EcrRegistryHost? registry, string? region, string? endpointUrl, IEnvironmentVariables environment)
    {
        var resolvedRegion = AwsRegion.Resolve(region, registry, environment);
        return new EcrClientOptions(resolvedRegion, EcrEndpoint.Resolve(endpointUrl, resolvedRegion, registry?.IsFips == true, environment))
        {
            RegistryId = registry?.AccountId,
        };
    }
}
