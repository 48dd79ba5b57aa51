using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.Timeout;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// A Docker Registry HTTP API v2 / OCI distribution client over <see cref="HttpClient"/>: anonymous, Basic and
/// Bearer token auth (<see cref="RegistryAuthenticationHandler"/>), retries with backoff and jitter (Polly), a
/// timeout per attempt, and errors that name the registry, repository and HTTP status.
/// </summary>
public sealed class RegistryClient : IRegistryClient, IDisposable
{
    /// <summary>The manifest media types TagForge accepts: Docker v2 manifest and list, OCI manifest and index.</summary>
    public static IReadOnlyList<string> ManifestMediaTypes { get; } =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private const int MaxPages = 10_000;

    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    public RegistryClient(RegistryClientOptions? options = null, ILogger? logger = null)
        : this(options, logger, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = true })
    {
    }

    /// <summary>Creates a client over <paramref name="transport"/> (the handler that does the network I/O).</summary>
    public RegistryClient(RegistryClientOptions? options, ILogger? logger, HttpMessageHandler transport)
    {
        _options = options ?? new RegistryClientOptions();
        _logger = logger ?? NullLogger.Instance;
        var retry = new RetryHandler(_options, _logger) { InnerHandler = transport };
        var auth = new RegistryAuthenticationHandler(_options.Credentials ?? new CredentialSourceChain(), _options.IsInsecure, _logger) { InnerHandler = retry };
        // The per-attempt timeout and the caller's token bound each request; this only stops a body that never ends.
        _http = new HttpClient(auth) { Timeout = TimeSpan.FromMinutes(10) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tagforge", typeof(RegistryClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <summary>The base URI of <paramref name="reference"/>'s registry API (http for loopback and insecure registries).</summary>
    public Uri BaseUriFor(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var scheme = _options.IsInsecure(reference.Registry) ? "http" : "https";
        return new Uri($"{scheme}://{reference.ApiHost}/");
    }

    /// <inheritdoc />
    public async Task<ManifestInfo?> HeadManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var uri = new Uri(BaseUriFor(reference), $"v2/{reference.Repository}/manifests/{reference.ManifestReference}");
        using var response = await SendAsync(HttpMethod.Head, uri, reference, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, reference, "HEAD manifest " + reference.ManifestReference);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var size = response.Content.Headers.ContentLength;
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } header)
        {
            return Digest.TryParse(header.Trim(), out var digest)
                ? new ManifestInfo(digest, mediaType, size)
                : throw new RegistryException(
                    $"registry {reference.Registry} answered a malformed Docker-Content-Digest '{header}' for {reference.Repository}:{reference.ManifestReference}",
                    reference.Registry, reference.Repository, response.StatusCode);
        }

        // Some registries leave the digest out of HEAD answers: hash the manifest itself.
        using var get = await SendAsync(HttpMethod.Get, uri, reference, cancellationToken).ConfigureAwait(false);
        if (get.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(get, reference, "GET manifest " + reference.ManifestReference);
        var body = await get.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new ManifestInfo(Digest.Sha256Of(body), get.Content.Headers.ContentType?.MediaType ?? mediaType, body.Length);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var tags = new List<string>();
        Uri? next = new(BaseUriFor(repository), $"v2/{repository.Repository}/tags/list");
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            using var response = await SendAsync(HttpMethod.Get, next, repository, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // A repository nobody pushed to yet has no tags (registries answer NAME_UNKNOWN).
                return tags;
            }

            EnsureSuccess(response, repository, "GET tags/list");
            TagList? list;
            try
            {
                list = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), RegistryJsonContext.Default.TagList);
            }
            catch (JsonException ex)
            {
                throw new RegistryException(
                    $"registry {repository.Registry} answered GET tags/list for {repository.Repository} with invalid JSON (HTTP {(int)response.StatusCode}); is {BaseUriFor(repository)} a registry?",
                    repository.Registry, repository.Repository, response.StatusCode, ex);
            }

            tags.AddRange(list?.Tags ?? []);
            next = NextPage(response, next);
        }

        return tags;
    }

    /// <inheritdoc />
    public async Task<Digest?> GetConfigDigestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var uri = new Uri(BaseUriFor(reference), $"v2/{reference.Repository}/manifests/{reference.ManifestReference}");
        using var response = await SendAsync(HttpMethod.Get, uri, reference, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, reference, "GET manifest " + reference.ManifestReference);
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            return document.RootElement.TryGetProperty("config", out var config)
                && config.TryGetProperty("digest", out var digest)
                && Digest.TryParse(digest.GetString(), out var parsed)
                    ? parsed
                    : null;
        }
        catch (JsonException ex)
        {
            throw new RegistryException(
                $"registry {reference.Registry} answered GET manifest {reference.ManifestReference} for {reference.Repository} with invalid JSON",
                reference.Registry, reference.Repository, response.StatusCode, ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>The <c>Link: &lt;…&gt;; rel="next"</c> target, resolved against the current page.</summary>
    internal static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(value => value.Split(',')))
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link[close..].Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
            {
                return new Uri(current, link[(open + 1)..close]);
            }
        }

        return null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, ImageReference reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        foreach (var mediaType in ManifestMediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(
                $"cannot reach registry {reference.Registry} ({uri.GetLeftPart(UriPartial.Authority)}) for {reference.Repository}: {ex.Message}; is it running, and is the address right?",
                reference.Registry, reference.Repository, null, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new RegistryException(
                $"registry {reference.Registry} did not answer for {reference.Repository} within {(_options.AttemptTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0}s per attempt",
                reference.Registry, reference.Repository, null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException($"registry {reference.Registry} did not finish answering for {reference.Repository}", reference.Registry, reference.Repository, null, ex);
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, ImageReference reference, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RegistryException(
                $"registry {reference.Registry} refused {what} for {reference.Repository} ({status}): check credentials (--username with --password-stdin, {ExplicitCredentialSource.UsernameVariable}/{ExplicitCredentialSource.PasswordVariable}, or docker login {reference.Registry})",
                reference.Registry, reference.Repository, response.StatusCode);
        }

        throw new RegistryException(
            $"registry {reference.Registry} answered {what} for {reference.Repository} with {status}",
            reference.Registry, reference.Repository, response.StatusCode);
    }
}
