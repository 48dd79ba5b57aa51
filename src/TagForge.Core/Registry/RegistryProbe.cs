using System.Net;
using System.Net.Security;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// The one look at a registry before anything else is asked of it, as docker and skopeo take: <c>GET /v2/</c> without
/// credentials over https, then over plain http where that is allowed (loopback, <c>--insecure-registry</c>) and https
/// failed to connect. Whatever answers must be a distribution registry (a <c>Docker-Distribution-API-Version</c>
/// header, or 401 with a Basic or Bearer challenge, or 200 with a JSON body); anything else is a
/// <see cref="RegistryException"/> naming <c>host:port</c> and what answered, so a wrong port fails in a second, not as
/// "tag absent" followed by a long push.
/// </summary>
internal sealed class RegistryProbe(HttpClient http, RegistryClientOptions options, TlsPolicy? tls, ILogger logger)
{
    private const int MaxBodyBytes = 4096;

    public async Task<RegistryEndpoint> ProbeAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        var registry = reference.Registry;
        var plainAllowed = options.IsInsecure(registry);
        var https = new Uri($"https://{reference.ApiHost}/");
        HttpResponseMessage? response;
        try
        {
            // Where http may follow, a failed TLS connection is not worth retrying: the plain attempt retries.
            response = await SendAsync(https, retry: !plainAllowed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            if (tls?.TakeRefusal(RegistryHost.HostPart(reference.ApiHost)) is { } refusal)
            {
                throw UntrustedCertificate(registry, refusal, ex);
            }

            if (!plainAllowed)
            {
                throw Unreachable(registry, https, ex);
            }

            logger.LogDebug("https://{Host}/v2/ failed ({Reason}); trying plain http, allowed for {Registry}", reference.ApiHost, ex.Message, registry);
            response = null;
        }

        var baseUri = https;
        if (response is null)
        {
            baseUri = new Uri($"http://{reference.ApiHost}/");
            try
            {
                response = await SendAsync(baseUri, retry: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
            {
                throw Unreachable(registry, baseUri, ex);
            }
        }

        using (response)
        {
            var apiVersion = response.Headers.TryGetValues("Docker-Distribution-API-Version", out var versions) ? versions.FirstOrDefault() : null;
            var isRegistry = apiVersion is not null
                || (response.StatusCode == HttpStatusCode.Unauthorized && AuthenticationChallenge.From(response.Headers.WwwAuthenticate) is not null)
                || (response.StatusCode == HttpStatusCode.OK && await IsJsonObjectAsync(response, cancellationToken).ConfigureAwait(false));
            if (!isRegistry)
            {
                throw NotARegistry(registry, baseUri, response);
            }

            logger.LogDebug("{Registry} is a registry at {BaseUri} (HTTP {Status}, {Version})", registry, baseUri, (int)response.StatusCode, apiVersion ?? "no API version header");
            return new RegistryEndpoint(registry, baseUri, response.StatusCode, apiVersion);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri baseUri, bool retry, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v2/"));
        request.Options.Set(RegistryAuthenticationHandler.Anonymous, true);
        if (!retry)
        {
            request.Options.Set(RetryHandler.NoRetry, true);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> IsJsonObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes];
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, read).TrimStart();
            return text.StartsWith('{');
        }
    }

    private static RegistryException NotARegistry(string registry, Uri baseUri, HttpResponseMessage response)
    {
        var server = response.Headers.Server.Count > 0 ? $", Server: {response.Headers.Server}" : "";
        var type = response.Content.Headers.ContentType?.MediaType is { } mediaType ? $", Content-Type: {mediaType}" : "";
        return new RegistryException(
            $"{registry} is not a container registry: GET {baseUri}v2/ answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}{server}{type}, without the Docker-Distribution-API-Version header or a registry's 401 challenge; check the host and port",
            registry, null, response.StatusCode);
    }

    private RegistryException Unreachable(string registry, Uri baseUri, Exception ex)
    {
        var why = ex is TimeoutRejectedException
            ? $"no answer within {(options.AttemptTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0}s"
            : string.Join(": ", Messages(ex).Distinct());
        var hint = baseUri.Scheme == Uri.UriSchemeHttps && !options.IsInsecure(registry)
            ? $"; is it running, and is the address right? (a plain-http registry needs --insecure-registry {registry})"
            : "; is it running, and is the address right?";
        return new RegistryException($"cannot reach registry {registry} ({baseUri.GetLeftPart(UriPartial.Authority)}): {why}{hint}", registry, null, null, ex);
    }

    private static RegistryException UntrustedCertificate(string registry, SslPolicyErrors errors, Exception ex) => new(
        $"the TLS certificate of registry {registry} is not trusted ({errors}); add its CA to the system's trust store or to SSL_CERT_FILE / SSL_CERT_DIR, or pass --insecure-registry {registry} to skip verification",
        registry, null, null, ex);

    private static IEnumerable<string> Messages(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex.Message.TrimEnd('.');
        }
    }
}
