using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Ecr;

/// <summary>Where ECR API calls go: an explicit URL, the standard endpoint variables, or the regional endpoint.</summary>
public static class EcrEndpoint
{
    /// <summary>The service-specific endpoint variable of the AWS SDKs and CLI.</summary>
    public const string EcrEndpointVariable = "AWS_ENDPOINT_URL_ECR";

    /// <summary>The global endpoint variable of the AWS SDKs and CLI.</summary>
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";

    /// <summary>
    /// <paramref name="endpointUrl"/> (<c>--endpoint-url</c>), else <c>AWS_ENDPOINT_URL_ECR</c>, else <c>AWS_ENDPOINT_URL</c>,
    /// else the regional endpoint: <c>https://api.ecr.&lt;region&gt;.amazonaws.com</c> (<c>.amazonaws.com.cn</c> in China,
    /// <c>https://ecr-fips.&lt;region&gt;.amazonaws.com</c> for FIPS).
    /// </summary>
    public static Uri Resolve(string? endpointUrl, string region, bool fips, IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (endpointUrl is not null)
        {
            return Parse(endpointUrl, "--endpoint-url");
        }

        foreach (var variable in new[] { EcrEndpointVariable, GlobalEndpointVariable })
        {
            if (environment.Read(variable) is { } value)
            {
                return Parse(value, variable);
            }
        }

        return Regional(region, fips);
    }

    /// <summary>The public regional endpoint of ECR's API.</summary>
    public static Uri Regional(string region, bool fips)
    {
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri(fips ? $"https://ecr-fips.{region}.{suffix}/" : $"https://api.ecr.{region}.{suffix}/");
    }

    private static Uri Parse(string value, string source) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new BadInputException($"{source} '{value}' is not an http(s) URL");
}
