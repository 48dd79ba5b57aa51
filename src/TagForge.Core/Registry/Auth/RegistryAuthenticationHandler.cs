using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Registry.Auth;

/// <summary>
/// Authenticates registry requests the way the docker CLI and the .NET SDK's container publishing do: send the
/// request, and on <c>401</c> read the <c>WWW-Authenticate</c> challenge; for <c>Basic</c> attach the credentials, for
/// <c>Bearer</c> fetch a token from the challenge's realm (GET with Basic credentials, falling back to the OAuth2
/// POST form), cache it per registry and scope, and replay the request. Later requests for the same repository
/// send the cached token straight away.
/// </summary>
public sealed partial class RegistryAuthenticationHandler : DelegatingHandler
{
    private readonly IRegistryCredentialSource _credentials;
    private readonly Func<string, bool> _isInsecure;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, CachedAuthorization> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CredentialEntry> _credentialCache = new(StringComparer.Ordinal);
    private long _credentialFetches;

    /// <summary>Creates the handler.</summary>
    /// <param name="credentials">
    /// Where credentials come from: asked once per registry, and again when the answer expires
    /// (<see cref="RegistryCredential.ExpiresAt"/>) or the registry refuses it.
    /// </param>
    /// <param name="isInsecure">True for registry hosts allowed over plain http (loopback is always allowed).</param>
    /// <param name="logger">Diagnostics (never secrets).</param>
    /// <param name="clock">For token and credential expiry.</param>
    public RegistryAuthenticationHandler(IRegistryCredentialSource credentials, Func<string, bool>? isInsecure = null, ILogger? logger = null, TimeProvider? clock = null)
    {
        _credentials = credentials;
        _isInsecure = isInsecure ?? (_ => false);
        _logger = logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Set on a request that must go out without credentials (the probe of <c>/v2/</c> that says what a server is).</summary>
    public static readonly HttpRequestOptionsKey<bool> Anonymous = new("tagforge.anonymous");

    /// <summary>
    /// Set by the handler on a request it answered a 401 challenge for: the user whose credentials were offered
    /// (<c>""</c> for an identity token without a user name), so a refusal names who was refused; unset when no
    /// credentials were found for the registry at all.
    /// </summary>
    public static readonly HttpRequestOptionsKey<string> OfferedUser = new("tagforge.offered-user");

    /// <summary>How long before <see cref="RegistryCredential.ExpiresAt"/> a credential is fetched anew.</summary>
    public static TimeSpan CredentialRefreshMargin { get; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("a registry request needs a URI");
        if (request.Options.TryGetValue(Anonymous, out var anonymous) && anonymous)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var key = CacheKey(uri);
        var fetchesBefore = Interlocked.Read(ref _credentialFetches);
        if (request.Headers.Authorization is null && TryCached(key, out var cached))
        {
            request.Headers.Authorization = cached;
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var registry = RegistryHost.Normalize(uri.Authority);
        for (var attempt = 0; ; attempt++)
        {
            if (response.StatusCode != HttpStatusCode.Unauthorized || AuthenticationChallenge.From(response.Headers.WwwAuthenticate) is not { } challenge)
            {
                return response;
            }

            // The second time round the registry refused credentials cached from an earlier request (an expired
            // or revoked token, a rotated password): forget them and ask the source again, once.
            var (credential, fresh) = await CredentialAsync(registry, fetchesBefore, refresh: attempt > 0).ConfigureAwait(false);
            if (credential is not null)
            {
                request.Options.Set(OfferedUser, credential.Username ?? "");
            }

            if (attempt > 0 && !fresh)
            {
                return response;
            }

            var authorization = challenge.IsBasic
                ? credential is { HasPassword: true } ? new CachedAuthorization(BasicHeader(credential), RenewAt(credential) ?? DateTimeOffset.MaxValue) : null
                : await FetchTokenAsync(challenge, credential, uri, cancellationToken).ConfigureAwait(false);
            if (authorization is null)
            {
                // No credentials, or the token server refused them: the caller reports the 401 with its context,
                // unless the refused credentials were cached from an earlier request (then ask again, once).
                _cache.TryRemove(key, out _);
                if (fresh || attempt > 0 || credential is null)
                {
                    return response;
                }

                continue;
            }

            response.Dispose();
            _cache[key] = authorization;
            request.Headers.Authorization = authorization.Authorization;
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (fresh)
            {
                return response;
            }
        }
    }

    /// <summary>
    /// The credentials for <paramref name="registry"/>: the cached answer unless it has expired or
    /// <paramref name="refresh"/> asks to forget one fetched before this request began; <c>Fresh</c> when fetched
    /// after <paramref name="fetchesBefore"/>.
    /// </summary>
    private async Task<(RegistryCredential? Credential, bool Fresh)> CredentialAsync(string registry, long fetchesBefore, bool refresh)
    {
        var entry = _credentialCache.GetOrAdd(registry, NewCredentialEntry);
        if (refresh && entry.Fetch <= fetchesBefore)
        {
            _logger.LogDebug("registry {Registry} refused the cached credentials; asking for them again", registry);
            _credentials.Invalidate(registry);
            entry = ReplaceCredentialEntry(registry, entry);
        }

        var credential = await entry.Credential.Value.ConfigureAwait(false);
        if (RenewAt(credential) <= _clock.GetUtcNow())
        {
            _logger.LogDebug("the credentials for {Registry} expire at {ExpiresAt}; asking for new ones", registry, credential!.ExpiresAt);
            entry = ReplaceCredentialEntry(registry, entry);
            credential = await entry.Credential.Value.ConfigureAwait(false);
        }

        return (credential, entry.Fetch > fetchesBefore);
    }

    private CredentialEntry NewCredentialEntry(string registry) =>
        new(new Lazy<Task<RegistryCredential?>>(() => _credentials.GetAsync(registry, CancellationToken.None)), Interlocked.Increment(ref _credentialFetches));

    /// <summary>Replaces <paramref name="stale"/> (unless another request already did) and returns the current entry.</summary>
    private CredentialEntry ReplaceCredentialEntry(string registry, CredentialEntry stale) =>
        _credentialCache.TryUpdate(registry, NewCredentialEntry(registry), stale) ? _credentialCache[registry] : _credentialCache.GetOrAdd(registry, NewCredentialEntry);

    private static DateTimeOffset? RenewAt(RegistryCredential? credential) => credential?.ExpiresAt - CredentialRefreshMargin;

    /// <summary>
    /// Checks the realm a registry's challenge names before any credential is sent there. The 401 challenge is
    /// chosen by whoever answers the registry request, so a malicious registry, or anyone who can tamper with a
    /// plain-http registry connection, could name <c>http://attacker/</c> as the realm and have the client hand over
    /// the user's password in clear text. The realm must be an absolute https URL without user info; plain http is
    /// accepted only for loopback hosts and registries the user declared insecure (<c>--insecure-registry</c>).
    /// </summary>
    internal static Uri ValidateRealm(string? realm, string registry, Func<string, bool> isInsecure)
    {
        if (!Uri.TryCreate(realm, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ExternalFailureException($"registry {registry} answered 401 with a Bearer challenge whose realm '{realm}' is not an http(s) URL");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ExternalFailureException($"registry {registry} names a token realm with user info ({uri.Host}); refusing to send credentials there");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !RegistryHost.IsLoopback(uri.Authority) && !isInsecure(uri.Authority) && !isInsecure(uri.Host))
        {
            throw new ExternalFailureException(
                $"registry {registry} asks for credentials to be sent to {uri.GetLeftPart(UriPartial.Path)} over plain http; refusing (use https, or --insecure-registry {uri.Authority} if you trust that network)");
        }

        return uri;
    }

    private async Task<CachedAuthorization?> FetchTokenAsync(AuthenticationChallenge challenge, RegistryCredential? credential, Uri requestUri, CancellationToken cancellationToken)
    {
        var registry = RegistryHost.Normalize(requestUri.Authority);
        var realm = ValidateRealm(challenge.Realm, registry, _isInsecure);
        var scope = challenge.Scope ?? ScopeFor(requestUri);
        var query = new List<string>();
        if (challenge.Service is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        if (scope is not null)
        {
            query.Add("scope=" + Uri.EscapeDataString(scope));
        }

        HttpResponseMessage tokenResponse;
        if (credential?.IdentityToken is { } refreshToken)
        {
            tokenResponse = await PostFormAsync(realm, challenge, scope, [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var builder = new UriBuilder(realm) { Query = string.Join('&', new[] { realm.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query)) };
            using var get = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
            if (credential is { HasPassword: true })
            {
                get.Headers.Authorization = BasicHeader(credential);
            }

            tokenResponse = await SendTokenRequestAsync(get, registry, cancellationToken).ConfigureAwait(false);
            if (!tokenResponse.IsSuccessStatusCode && tokenResponse.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && credential is { HasPassword: true })
            {
                // Some token servers only speak the OAuth2 form (POST, grant_type=password).
                _logger.LogDebug("token GET at {Realm} answered {Status}; trying the OAuth2 POST form", realm.GetLeftPart(UriPartial.Path), (int)tokenResponse.StatusCode);
                tokenResponse.Dispose();
                tokenResponse = await PostFormAsync(realm, challenge, scope, [new("grant_type", "password"), new("username", credential.Username!), new("password", credential.Password!)], cancellationToken).ConfigureAwait(false);
            }
        }

        using (tokenResponse)
        {
            if (tokenResponse.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                _logger.LogDebug("token server {Realm} refused the credentials ({Status})", realm.GetLeftPart(UriPartial.Path), (int)tokenResponse.StatusCode);
                return null;
            }

            if (!tokenResponse.IsSuccessStatusCode)
            {
                throw new RegistryException(
                    $"the token server {realm.GetLeftPart(UriPartial.Path)} for registry {registry} answered HTTP {(int)tokenResponse.StatusCode} {tokenResponse.ReasonPhrase}",
                    registry, null, tokenResponse.StatusCode);
            }

            TokenResponse? body;
            try
            {
                body = JsonSerializer.Deserialize(await tokenResponse.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), RegistryJsonContext.Default.TokenResponse);
            }
            catch (JsonException ex)
            {
                throw new RegistryException($"the token server {realm.GetLeftPart(UriPartial.Path)} for registry {registry} answered invalid JSON", registry, null, tokenResponse.StatusCode, ex);
            }

            var token = body?.Token ?? body?.AccessToken;
            if (string.IsNullOrEmpty(token))
            {
                throw new RegistryException($"the token server {realm.GetLeftPart(UriPartial.Path)} for registry {registry} answered without a token", registry, null, tokenResponse.StatusCode);
            }

            // Tokens live expires_in seconds (60 when unsaid, per the spec); renew a little early.
            var lifetime = TimeSpan.FromSeconds(Math.Max(10, (body?.ExpiresIn ?? 60) - 10));
            return new CachedAuthorization(new AuthenticationHeaderValue("Bearer", token), _clock.GetUtcNow().Add(lifetime));
        }
    }

    private async Task<HttpResponseMessage> PostFormAsync(Uri realm, AuthenticationChallenge challenge, string? scope, List<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        fields.Add(new("client_id", "tagforge"));
        if (challenge.Service is { } service)
        {
            fields.Add(new("service", service));
        }

        if (scope is not null)
        {
            fields.Add(new("scope", scope));
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(fields) };
        return await SendTokenRequestAsync(post, RegistryHost.Normalize(realm.Authority), cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendTokenRequestAsync(HttpRequestMessage request, string registry, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException($"cannot reach the token server {request.RequestUri?.GetLeftPart(UriPartial.Path)} for registry {registry}: {ex.Message}", registry, null, null, ex);
        }
    }

    private bool TryCached(string key, out AuthenticationHeaderValue? authorization)
    {
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > _clock.GetUtcNow())
        {
            authorization = cached.Authorization;
            return true;
        }

        authorization = null;
        return false;
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    /// <summary>Cache entries are per registry and repository: a token's scope names one repository.</summary>
    private static string CacheKey(Uri uri) => $"{uri.Scheme}://{uri.Authority}|{RepositoryOf(uri) ?? ""}";

    private static string? ScopeFor(Uri uri) => RepositoryOf(uri) is { } repository ? $"repository:{repository}:pull" : null;

    private static string? RepositoryOf(Uri uri) => RepositoryPath().Match(uri.AbsolutePath) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("^/v2/(.+?)/(?:manifests|tags|blobs)/")]
    private static partial Regex RepositoryPath();

    /// <summary>One answer of the credential source; <c>Fetch</c> numbers the answers, to tell a fresh one from a cached one.</summary>
    private sealed record CredentialEntry(Lazy<Task<RegistryCredential?>> Credential, long Fetch);

    private sealed record CachedAuthorization(AuthenticationHeaderValue Authorization, DateTimeOffset Expires);
}
