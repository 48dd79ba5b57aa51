using Microsoft.Extensions.Logging;
using TagForge.Errors;
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

/// <summary>
/// Registry credentials for ECR hosts, for the generic registry client: <c>GetAuthorizationToken</c> per registry,
/// cached until shortly before it expires. <c>release</c>, <c>verify</c> and <c>resolve</c> need no prior <c>docker login</c>.
/// </summary>
public sealed class EcrRegistryAuthenticator : IDisposable
{
    private readonly EcrSettings _settings;
    private readonly IEnvironmentVariables _environment;
    private readonly IAwsCredentialSource _credentials;
    private readonly AwsCredentialChain? _ownedCredentials;
    private readonly HttpClient? _http;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Dictionary<string, (EcrClient Client, EcrAuthorizationCache Cache)> _registries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Creates the authenticator; <paramref name="credentials"/> defaults to the standard AWS chain.</summary>
    public EcrRegistryAuthenticator(
        EcrSettings settings,
        IEnvironmentVariables environment,
        IAwsCredentialSource? credentials = null,
        HttpClient? http = null,
        TimeProvider? time = null,
        ILogger? logger = null)
    {
        _settings = settings;
        _environment = environment;
        _ownedCredentials = credentials is null ? new AwsCredentialChain(environment) : null;
        _credentials = credentials ?? _ownedCredentials!;
        _http = http;
        _time = time ?? TimeProvider.System;
        _logger = logger;
    }

    /// <summary>True when this authenticator handles <paramref name="registryHost"/>.</summary>
    public bool Handles(string registryHost) => _settings.Applies(registryHost);

    /// <summary>The ECR login for <paramref name="registryHost"/>, or <see langword="null"/> when it is not an ECR registry.</summary>
    public async Task<EcrRegistryLogin?> GetAsync(string registryHost, CancellationToken cancellationToken = default)
    {
        var entry = Entry(registryHost);
        return entry is null ? null : await entry.Value.Cache.GetAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The ECR client for <paramref name="registryHost"/> (DescribeImages, repositories), or <see langword="null"/>.</summary>
    public IEcrClient? ClientFor(string registryHost) => Entry(registryHost)?.Client;

    /// <summary>Forgets the cached login of <paramref name="registryHost"/> (the registry answered 401 with it).</summary>
    public void Invalidate(string registryHost)
    {
        lock (_lock)
        {
            if (_registries.TryGetValue(registryHost, out var entry))
            {
                entry.Cache.Invalidate();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (client, cache) in _registries.Values)
            {
                client.Dispose();
                cache.Dispose();
            }

            _registries.Clear();
        }

        _ownedCredentials?.Dispose();
    }

    private (EcrClient Client, EcrAuthorizationCache Cache)? Entry(string registryHost)
    {
        lock (_lock)
        {
            if (_registries.TryGetValue(registryHost, out var existing))
            {
                return existing;
            }

            var registry = _settings.RegistryFor(registryHost, _environment);
            if (registry is null)
            {
                return null;
            }

            var client = new EcrClient(_settings.ClientOptions(registry, _environment), _credentials, _http, _time, _logger);
            var entry = (client, new EcrAuthorizationCache(client, _time));
            _registries[registryHost] = entry;
            return entry;
        }
    }
}

/// <summary>Helpers to name ECR repositories from command-line arguments.</summary>
public static class EcrRepositoryName
{
    /// <summary>
    /// Splits <c>[registry/]repository</c>: <c>app</c>, <c>team/app</c>, or
    /// <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app</c> (the first part is a registry when it has a dot, a
    /// colon or is <c>localhost</c>).
    /// </summary>
    public static (string? Registry, string Repository) Split(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = text[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                return (first, Validate(text[(slash + 1)..], text));
            }
        }

        return (null, Validate(text, text));
    }

    private static string Validate(string repository, string text) =>
        Registry.ImageReference.TryParse($"example.invalid/{repository}", out var reference) && reference.Tag is null && reference.Digest is null
            ? repository
            : throw new BadInputException($"'{text}' is not an ECR repository name (lowercase letters, digits, . _ - and /)");
}
