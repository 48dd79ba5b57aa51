using Microsoft.Extensions.Logging;
using TagForge.IO;

namespace TagForge.Ecr;

/// <summary>
/// Registry credentials for ECR hosts, for the generic registry client: <c>GetAuthorizationToken</c> per registry,
/// cached until shortly before it expires. <c>release</c>, <c>verify</c> and <c>resolve</c> need no prior <c>docker login</c>.
/// </summary>
public sealed class EcrRegistryAuthenticator : IDisposable
{
    /// <summary>The caller's own registry's key in <see cref="_registries"/>: no host is empty.</summary>
    private const string OwnRegistryKey = "";

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

    /// <summary>
    /// The ECR client for the caller's own registry (the AWS credentials' account, in the resolved region): for
    /// <c>tagforge ecr</c> commands given no registry host.
    /// </summary>
    public IEcrClient ClientForOwnRegistry() => OwnRegistryEntry().Client;

    /// <summary>The ECR login for the caller's own registry; its <see cref="EcrRegistryLogin.ServerAddress"/> names that registry.</summary>
    public Task<EcrRegistryLogin> GetOwnRegistryLoginAsync(CancellationToken cancellationToken = default) =>
        OwnRegistryEntry().Cache.GetAsync(cancellationToken);

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
            return registry is null ? null : Add(registryHost, registry);
        }
    }

    private (EcrClient Client, EcrAuthorizationCache Cache) OwnRegistryEntry()
    {
        lock (_lock)
        {
            return _registries.TryGetValue(OwnRegistryKey, out var existing) ? existing : Add(OwnRegistryKey, registry: null);
        }
    }

    /// <summary>Makes and keeps the client of <paramref name="registry"/> (the caller's own when null); called under the lock.</summary>
    private (EcrClient Client, EcrAuthorizationCache Cache) Add(string key, EcrRegistryHost? registry)
    {
        var client = new EcrClient(_settings.ClientOptions(registry, _environment), _credentials, _http, _time, _logger);
        var entry = (client, new EcrAuthorizationCache(client, _time));
        _registries[key] = entry;
        return entry;
    }
}
