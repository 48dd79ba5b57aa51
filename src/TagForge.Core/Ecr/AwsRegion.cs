using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Ecr;

/// <summary>Which AWS region an ECR call goes to.</summary>
public static class AwsRegion
{
    /// <summary>
    /// <paramref name="explicitRegion"/> (<c>--region</c>), else the region in an ECR registry host, else
    /// <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c>, else AWSSDK.Core's fallback (the profile's <c>region</c>, EC2
    /// instance metadata).
    /// </summary>
    public static string Resolve(string? explicitRegion, EcrRegistryHost? registry, IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var region = explicitRegion ?? registry?.Region ?? environment.Read("AWS_REGION") ?? environment.Read("AWS_DEFAULT_REGION") ?? FromSdk();
        return region ?? throw new BadInputException("no AWS region: pass --region, use an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com), or set AWS_REGION");
    }

    private static string? FromSdk()
    {
        try
        {
            return Amazon.Runtime.FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        }
        catch (Amazon.Runtime.AmazonClientException)
        {
            return null;
        }
    }
}
