using System.Globalization;
using System.Text;
using TagForge.Errors;

namespace TagForge.Ecr;

/// <summary>
/// A registry login decoded from ECR's authorization token (base64 <c>AWS:&lt;password&gt;</c>).
/// <see cref="ToString"/> never shows the password.
/// </summary>
/// <param name="Username">Always <c>AWS</c> for ECR.</param>
/// <param name="Password">The 12-hour registry password.</param>
/// <param name="ProxyEndpoint">The registry URL the login is for (<c>https://&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com</c>).</param>
/// <param name="ExpiresAt">When ECR stops accepting it.</param>
public sealed record EcrRegistryLogin(string Username, string Password, Uri ProxyEndpoint, DateTimeOffset ExpiresAt)
{
    /// <summary>A token's lifetime when ECR does not say (its documented 12 hours).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);

    /// <summary>The registry host (and port) to log in to: the proxy endpoint without its scheme.</summary>
    public string ServerAddress => ProxyEndpoint.IsDefaultPort ? ProxyEndpoint.Host : ProxyEndpoint.Authority;

    /// <summary>Decodes <paramref name="data"/>; <paramref name="now"/> dates a token without <c>expiresAt</c>.</summary>
    public static EcrRegistryLogin Decode(EcrAuthorizationData data, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(data);
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(data.AuthorizationToken));
        }
        catch (FormatException ex)
        {
            throw new ExternalFailureException("ECR returned an authorization token that is not base64", ex);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ExternalFailureException("ECR returned an authorization token that is not 'user:password'");
        }

        if (data.ProxyEndpoint is null || !Uri.TryCreate(data.ProxyEndpoint, UriKind.Absolute, out var endpoint))
        {
            throw new ExternalFailureException($"ECR returned an authorization token without a usable proxyEndpoint ('{data.ProxyEndpoint}')");
        }

        var expiresAt = data.ExpiresAt is { } seconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : now + DefaultLifetime;
        return new EcrRegistryLogin(decoded[..colon], decoded[(colon + 1)..], endpoint, expiresAt);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"EcrRegistryLogin {{ Username = {Username}, Password = ***, ProxyEndpoint = {ProxyEndpoint}, ExpiresAt = {ExpiresAt.ToString("u", CultureInfo.InvariantCulture)} }}";
}

/// <summary>
/// Caches ECR's registry login until shortly before it expires, so one <c>release</c>/<c>verify</c>/<c>resolve</c> asks
/// ECR once and a long-running build script asks again only when the 12-hour token runs out.
/// </summary>
public sealed class EcrAuthorizationCache : IDisposable
{
    private readonly IEcrClient _client;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private EcrRegistryLogin? _current;

    /// <summary>Creates the cache; a login is refetched <paramref name="refreshMargin"/> (default 5 minutes) before it expires.</summary>
    public EcrAuthorizationCache(IEcrClient client, TimeProvider? time = null, TimeSpan? refreshMargin = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
        RefreshMargin = refreshMargin ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>How long before <see cref="EcrRegistryLogin.ExpiresAt"/> a login counts as expired.</summary>
    public TimeSpan RefreshMargin { get; }

    /// <summary>A valid login, from the cache or a new <c>GetAuthorizationToken</c>.</summary>
    public async Task<EcrRegistryLogin> GetAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_current is { } cached && cached.ExpiresAt - RefreshMargin > now)
            {
                return cached;
            }

            var data = await _client.GetAuthorizationTokenAsync(cancellationToken).ConfigureAwait(false);
            _current = EcrRegistryLogin.Decode(data, now);
            return _current;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Forgets the cached login (after the registry refused it with 401).</summary>
    public void Invalidate() => _current = null;

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();
}
