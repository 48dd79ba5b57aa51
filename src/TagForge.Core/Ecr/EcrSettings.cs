using TagForge.IO;

namespace TagForge.Ecr;

/// <summary>
/// The ECR options of a command (<c>--ecr</c>, <c>--region</c>, <c>--endpoint-url</c>), unset values null.
/// </summary>
/// <param name="Force">Treat the registry as ECR even when its host is not an ECR host (<c>--ecr</c>).</param>
/// <param name="Region">The region (<c>--region</c>), else the host's, else <c>AWS_REGION</c>, else the SDK's.</param>
/// <param name="EndpointUrl">The API endpoint (<c>--endpoint-url</c>), else <c>AWS_ENDPOINT_URL_ECR</c>, ... .</param>
public sealed record EcrSettings(bool Force = false, string? Region = null, string? EndpointUrl = null)
{
    /// <summary>True when a registry host should be handled as ECR under these settings.</summary>
    public bool Applies(string registryHost) => Force || EcrRegistryHost.IsEcr(registryHost);

    /// <summary>
    /// The ECR registry for <paramref name="registryHost"/>, or <see langword="null"/> when it is not ECR and
    /// <see cref="Force"/> is off.
    /// </summary>
    public EcrRegistryHost? RegistryFor(string? registryHost, IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (registryHost is not null && EcrRegistryHost.TryParse(registryHost, out var parsed))
        {
            return Region is null || Region == parsed.Region ? parsed : EcrRegistryHost.Forced(registryHost, Region);
        }

        if (!Force || registryHost is null)
        {
            return null;
        }

        return EcrRegistryHost.Forced(registryHost, AwsRegion.Resolve(Region, null, environment));
    }

    /// <summary>Client options for <paramref name="registry"/> (or the caller's default registry when null).</summary>
    public EcrClientOptions ClientOptions(EcrRegistryHost? registry, IEnvironmentVariables environment) =>
        EcrClientOptions.For(registry, Region, EndpointUrl, environment);
}
