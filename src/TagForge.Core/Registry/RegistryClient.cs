using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// A Docker Registry HTTP API v2 / OCI distribution client over <see cref="HttpClient"/>: anonymous, Basic and
/// Bearer token auth (<see cref="RegistryAuthenticationHandler"/>), retries with backoff and jitter (<see cref="RetryHandler"/>), a
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
    private readonly TlsPolicy? _tls;
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryEndpoint?>>> _endpoints = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a client.</summary>
    public RegistryClient(RegistryClientOptions? options = null, ILogger? logger = null)
        : this(options ?? new RegistryClientOptions(), logger, new TlsPolicy(options ?? new RegistryClientOptions()))
    {
    }

    private RegistryClient(RegistryClientOptions options, ILogger? logger, TlsPolicy tls)
        : this(options, logger, tls.CreateTransport()) => _tls = tls;

    /// <summary>Creates a client over <paramref name="transport"/> (the handler that does the network I/O).</summary>
    public RegistryClient(RegistryClientOptions? options, ILogger? logger, HttpMessageHandler transport)
    {
        _options = options ?? new RegistryClientOptions();
        _logger = logger ?? NullLogger.Instance;
        // Rate-limit headers are read on every answer, retries included (a 429's headers say the most).
        var rateLimits = new RateLimitHandler(_logger) { InnerHandler = transport };
        var retry = new RetryHandler(_options, _logger) { InnerHandler = rateLimits };
        var auth = new RegistryAuthenticationHandler(_options.Credentials ?? new CredentialSourceChain(), _options.IsInsecure, _logger) { InnerHandler = retry };
        // The per-attempt timeout and the caller's token bound each request; this only stops a body that never ends.
        _http = new HttpClient(auth) { Timeout = TimeSpan.FromMinutes(10) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tagforge", typeof(RegistryClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <summary>
    /// The base URI of <paramref name="reference"/>'s registry API: where the probe found it, else (not probed yet, or
    /// <see cref="RegistryClientOptions.ProbeRegistries"/> off) http for loopback and insecure registries, https for the rest.
    /// </summary>
    public Uri BaseUriFor(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (_endpoints.TryGetValue(reference.ApiHost, out var probed) && probed.IsValueCreated && probed.Value.IsCompletedSuccessfully && probed.Value.Result is { } endpoint)
        {
            return endpoint.BaseUri;
        }

        var scheme = _options.IsInsecure(reference.Registry) ? "http" : "https";
        return new Uri($"{scheme}://{reference.ApiHost}/");
    }

    /// <inheritdoc />
    public Task<RegistryEndpoint?> ProbeAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        EndpointAsync(reference, cancellationToken);

    /// <summary>
    /// The probe's answer for <paramref name="reference"/>'s registry: asked once per client and shared by every caller,
    /// except that "nothing answered" (null) is asked again next time: a registry that is down may come back.
    /// </summary>
    private async Task<RegistryEndpoint?> EndpointAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        // Every caller waits for the same answer; its own token only stops its wait.
        var probe = _endpoints.GetOrAdd(reference.ApiHost, _ => new Lazy<Task<RegistryEndpoint?>>(
            () => new RegistryProbe(_http, _options, _tls, _logger).ProbeAsync(reference, CancellationToken.None)));
        var endpoint = await probe.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (endpoint is null)
        {
            _endpoints.TryRemove(new KeyValuePair<string, Lazy<Task<RegistryEndpoint?>>>(reference.ApiHost, probe));
        }

        return endpoint;
    }

    /// <inheritdoc />
    public async Task<RegistryAccessCheck> CheckAccessAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var endpoint = await EndpointAsync(reference, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(HttpMethod.Get, new Uri(endpoint?.BaseUri ?? BaseUriFor(reference), "v2/"), reference, cancellationToken).ConfigureAwait(false);
        var user = OfferedUser(response);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new RegistryAccessCheck(endpoint, user is null ? RegistryAccessOutcome.NoCredentials : RegistryAccessOutcome.Refused, user, response.StatusCode);
        }

        EnsureSuccess(response, reference, "GET /v2/");
        return new RegistryAccessCheck(endpoint, user is null ? RegistryAccessOutcome.Anonymous : RegistryAccessOutcome.Accepted, user, response.StatusCode);
    }

    /// <summary>The base URI requests for <paramref name="reference"/> go to, probing the registry first when the options say so.</summary>
    private async Task<Uri> BaseAsync(ImageReference reference, CancellationToken cancellationToken) =>
        _options.ProbeRegistries || _endpoints.ContainsKey(reference.ApiHost)
            ? (await EndpointAsync(reference, cancellationToken).ConfigureAwait(false))?.BaseUri ?? BaseUriFor(reference)
            : BaseUriFor(reference);

    /// <inheritdoc />
    public async Task<ManifestInfo?> HeadManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var uri = new Uri(await BaseAsync(reference, cancellationToken).ConfigureAwait(false), $"v2/{reference.Repository}/manifests/{reference.ManifestReference}");
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

        // Some registries leave the digest out of HEAD answers: fetch the manifest and hash it, but only a body that
        // parses as a manifest or index (a proxy's HTML page must never be pinned as a digest).
        var manifest = await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        return manifest is null ? null : new ManifestInfo(manifest.Digest, manifest.MediaType, manifest.Body.Length);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var tags = new List<string>();
        Uri? next = new(await BaseAsync(repository, cancellationToken).ConfigureAwait(false), $"v2/{repository.Repository}/tags/list");
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
        var manifest = await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        return manifest?.Document.Config?.Digest;
    }

    /// <inheritdoc />
    public async Task<RegistryManifest?> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var uri = ManifestUri(await BaseAsync(reference, cancellationToken).ConfigureAwait(false), reference, reference.ManifestReference);
        using var response = await SendAsync(HttpMethod.Get, uri, reference, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, reference, "GET manifest " + reference.ManifestReference);
        var body = await ReadBoundedAsync(response, MaxManifestBytes, reference, cancellationToken).ConfigureAwait(false);
        var servedType = response.Content.Headers.ContentType?.MediaType;
        var what = $"{reference.Repository}:{reference.ManifestReference}";
        if (!ManifestDocument.TryParse(body, servedType, out var document, out var error))
        {
            throw new RegistryException(
                $"registry {reference.Registry} answered GET manifest for {what} with a body that is not a manifest or index ({error}; Content-Type {servedType ?? "none"}); is {BaseUriFor(reference)} a registry, or a proxy answering for it?",
                reference.Registry, reference.Repository, response.StatusCode);
        }

        var digest = Digest.Sha256Of(body);
        var claimed = DigestHeader(response, reference, what);
        var expected = reference.Digest ?? (claimed?.Algorithm == "sha256" ? claimed : null);
        if (expected is not null && expected != digest)
        {
            throw new RegistryException(
                $"registry {reference.Registry} served {what} with a body whose digest is {digest}, not {expected}: the content is not what was asked for",
                reference.Registry, reference.Repository, response.StatusCode);
        }

        return new RegistryManifest(digest, document.MediaType, body, document);
    }

    /// <inheritdoc />
    public async Task<Digest> PutManifestAsync(ImageReference reference, string mediaType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        var uri = ManifestUri(await BaseAsync(reference, cancellationToken).ConfigureAwait(false), reference, reference.ManifestReference);
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await SendAsync(HttpMethod.Put, uri, reference, cancellationToken, content).ConfigureAwait(false);
        EnsureSuccess(response, reference, "PUT manifest " + reference.ManifestReference, await ErrorDetailAsync(response, cancellationToken).ConfigureAwait(false));
        var computed = Digest.Sha256Of(body.Span);
        var stored = DigestHeader(response, reference, $"{reference.Repository}:{reference.ManifestReference}");
        if (stored is not null && stored.Algorithm == computed.Algorithm && stored != computed)
        {
            throw new RegistryException(
                $"registry {reference.Registry} stored the manifest for {reference.Repository}:{reference.ManifestReference} as {stored}, not {computed}: it rewrote the content, so the image there is not the one sent",
                reference.Registry, reference.Repository, response.StatusCode);
        }

        return stored ?? computed;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var digest = reference.Digest ?? throw new ArgumentException("deleting a manifest needs its digest (registries delete by digest)", nameof(reference));
        using var response = await SendAsync(HttpMethod.Delete, ManifestUri(await BaseAsync(reference, cancellationToken).ConfigureAwait(false), reference, digest.ToString()), reference, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            throw new RegistryException(
                $"registry {reference.Registry} does not allow deleting manifests (HTTP {(int)response.StatusCode}) in {reference.Repository}; enable deletes (for docker-registry: storage.delete.enabled: true)",
                reference.Registry, reference.Repository, response.StatusCode);
        }

        EnsureSuccess(response, reference, "DELETE manifest " + digest);
        return true;
    }

    /// <inheritdoc />
    public async Task<long?> HeadBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        using var response = await SendAsync(HttpMethod.Head, BlobUri(await BaseAsync(repository, cancellationToken).ConfigureAwait(false), repository, digest), repository, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, repository, "HEAD blob " + digest);
        return response.Content.Headers.ContentLength ?? 0;
    }

    /// <inheritdoc />
    public async Task<bool> MountBlobAsync(ImageReference target, Digest digest, string fromRepository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(digest);
        var uri = new Uri(await BaseAsync(target, cancellationToken).ConfigureAwait(false), $"v2/{target.Repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}");
        using var response = await SendAsync(HttpMethod.Post, uri, target, cancellationToken, new ByteArrayContent([])).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        EnsureSuccess(response, target, "POST blob mount " + digest);

        // 202: the registry refused the mount and opened an upload instead; close it, the caller copies the blob.
        if (response.Headers.Location is { } location)
        {
            using var cancel = await SendAsync(HttpMethod.Delete, new Uri(uri, location), target, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <inheritdoc />
    public async Task<Stream> OpenBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        var response = await SendAsync(HttpMethod.Get, BlobUri(await BaseAsync(repository, cancellationToken).ConfigureAwait(false), repository, digest), repository, cancellationToken, completion: HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new RegistryException($"registry {repository.Registry} has no blob {digest} in {repository.Repository}", repository.Registry, repository.Repository, response.StatusCode);
            }

            EnsureSuccess(response, repository, "GET blob " + digest);
            return new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task PushBlobAsync(ImageReference repository, Digest digest, long size, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(content);
        var start = new Uri(await BaseAsync(repository, cancellationToken).ConfigureAwait(false), $"v2/{repository.Repository}/blobs/uploads/");
        Uri location;
        using (var open = await SendAsync(HttpMethod.Post, start, repository, cancellationToken, new ByteArrayContent([])).ConfigureAwait(false))
        {
            EnsureSuccess(open, repository, "POST blob upload");
            location = open.Headers.Location is { } given ? new Uri(start, given) : throw new RegistryException(
                $"registry {repository.Registry} opened a blob upload for {repository.Repository} without a Location", repository.Registry, repository.Repository, open.StatusCode);
        }

        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var put = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest.ToString()));
        var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Headers.ContentLength = size;
        using var response = await SendAsync(HttpMethod.Put, put, repository, cancellationToken, body, retry: false).ConfigureAwait(false);
        EnsureSuccess(response, repository, "PUT blob " + digest, await ErrorDetailAsync(response, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Descriptor>> GetReferrersAsync(ImageReference repository, Digest subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(subject);
        var uri = new Uri(await BaseAsync(repository, cancellationToken).ConfigureAwait(false), $"v2/{repository.Repository}/referrers/{subject}");
        using var response = await SendAsync(HttpMethod.Get, uri, repository, cancellationToken).ConfigureAwait(false);

        // Registries without the referrers API answer 404 (or 400/405); the tag schema (sha256-HEX) covers them.
        if (!response.IsSuccessStatusCode)
        {
            return response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed
                ? []
                : throw new RegistryException(
                    $"registry {repository.Registry} answered GET referrers of {subject} in {repository.Repository} with HTTP {(int)response.StatusCode}",
                    repository.Registry, repository.Repository, response.StatusCode);
        }

        var body = await ReadBoundedAsync(response, MaxManifestBytes, repository, cancellationToken).ConfigureAwait(false);
        return ManifestDocument.TryParse(body, response.Content.Headers.ContentType?.MediaType, out var index, out _) && index.IsIndex
            ? index.Manifests
            : [];
    }

    /// <inheritdoc />
    public async Task<ImageConfigInfo?> GetImageConfigAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var manifest = await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        if (manifest?.Document.Config is not { } config || manifest.Document.IsIndex)
        {
            return null;
        }

        using var response = await SendAsync(HttpMethod.Get, BlobUri(await BaseAsync(reference, cancellationToken).ConfigureAwait(false), reference, config.Digest), reference, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(response, reference, "GET config blob " + config.Digest);
        var body = await ReadBoundedAsync(response, MaxManifestBytes, reference, cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            var root = json.RootElement;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("config", out var settings) && settings.ValueKind == JsonValueKind.Object
                && settings.TryGetProperty("Labels", out var labelObject) && labelObject.ValueKind == JsonValueKind.Object)
            {
                foreach (var label in labelObject.EnumerateObject().Where(label => label.Value.ValueKind == JsonValueKind.String))
                {
                    labels[label.Name] = label.Value.GetString() ?? "";
                }
            }

            DateTimeOffset? created = root.TryGetProperty("created", out var time) && time.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(time.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
            return new ImageConfigInfo(config.Digest, labels, created, StringProperty(root, "os"), StringProperty(root, "architecture"), StringProperty(root, "variant"));
        }
        catch (JsonException ex)
        {
            throw new RegistryException(
                $"registry {reference.Registry} served the config blob {config.Digest} of {reference.Repository} as invalid JSON", reference.Registry, reference.Repository, response.StatusCode, ex);
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

    private const int MaxManifestBytes = 4 * 1024 * 1024;

    private static Uri ManifestUri(Uri baseUri, ImageReference reference, string tagOrDigest) =>
        new(baseUri, $"v2/{reference.Repository}/manifests/{tagOrDigest}");

    private static Uri BlobUri(Uri baseUri, ImageReference repository, Digest digest) =>
        new(baseUri, $"v2/{repository.Repository}/blobs/{digest}");

    /// <summary>Whose credentials the registry was offered for this answer (<c>""</c>: an identity token); null when none were found.</summary>
    private static string? OfferedUser(HttpResponseMessage response) =>
        response.RequestMessage?.Options.TryGetValue(RegistryAuthenticationHandler.OfferedUser, out var user) == true ? user : null;

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Digest? DigestHeader(HttpResponseMessage response, ImageReference reference, string what)
    {
        if (!response.Headers.TryGetValues("Docker-Content-Digest", out var values) || values.FirstOrDefault() is not { } header)
        {
            return null;
        }

        return Digest.TryParse(header.Trim(), out var digest)
            ? digest
            : throw new RegistryException(
                $"registry {reference.Registry} answered a malformed Docker-Content-Digest '{header}' for {what}",
                reference.Registry, reference.Repository, response.StatusCode);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, int limit, ImageReference reference, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new RegistryException(
                $"registry {reference.Registry} answered for {reference.Repository} with {response.Content.Headers.ContentLength} bytes, more than the {limit / 1024 / 1024} MiB a manifest may have",
                reference.Registry, reference.Repository, response.StatusCode);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return body.Length <= limit
            ? body
            : throw new RegistryException(
                $"registry {reference.Registry} answered for {reference.Repository} with more than the {limit / 1024 / 1024} MiB a manifest may have",
                reference.Registry, reference.Repository, response.StatusCode);
    }

    /// <summary>The registry's own error text (OCI error JSON, first error), for a failed write; never secrets.</summary>
    private static async Task<string?> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = StringProperty(first, "code");
                var message = StringProperty(first, "message");
                return string.Join(": ", new[] { code, message }.Where(part => !string.IsNullOrEmpty(part)));
            }
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or InvalidOperationException)
        {
            // Not the registry's error JSON: the status alone says enough.
        }

        return null;
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        Uri uri,
        ImageReference reference,
        CancellationToken cancellationToken,
        HttpContent? content = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        bool retry = true)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        foreach (var mediaType in ManifestMediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        if (!retry)
        {
            // A streamed body cannot be sent twice; the caller retries the whole step instead.
            request.Options.Set(RetryHandler.NoRetry, true);
        }

        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(
                $"cannot reach registry {reference.Registry} ({uri.GetLeftPart(UriPartial.Authority)}) for {reference.Repository}: {ex.Message}; is it running, and is the address right?",
                reference.Registry, reference.Repository, null, ex);
        }
        catch (AttemptTimeoutException ex)
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

    /// <summary>A response body stream that disposes its response with it.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, ImageReference reference, string what, string? detail = null)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RegistryException(AccessRefusal.Message(reference, what, status, response.StatusCode, OfferedUser(response)), reference.Registry, reference.Repository, response.StatusCode);
        }

        throw new RegistryException(
            $"registry {reference.Registry} answered {what} for {reference.Repository} with {status}" + (detail is null ? "" : $" ({detail})"),
            reference.Registry, reference.Repository, response.StatusCode);
    }
}
