using System.Net;
using System.Net.Security;
using Microsoft.Extensions.Logging;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// The one look at a registry before anything else is asked of it, as docker and skopeo take: <c>GET /v2/</c> without
/// credentials over https, then over plain http where that is allowed (loopback, <c>--insecure-registry</c>) and https
/// failed to connect. Whatever answers must be a distribution registry (a <c>Docker-Distribution-API-Version</c>
/// header, or 401 with a Basic or Bearer challenge, or 200 with a JSON body); anything else is a
/// <see cref="RegistryException"/> naming <c>host:port</c> and what answered, so a wrong port fails in a second, not as
/// "tag absent" followed by a long push. When nothing answers at all (refused, unresolvable, silent), the probe says
/// nothing (null): the request that follows reports it with its retries and its context, as before there was a probe.
/// Each attempt is sent once; a certificate the platform refuses is said as such.
/// </summary>
internal sealed class RegistryProbe(HttpClient http, RegistryClientOptions options, TlsPolicy? tls, ILogger logger)
{
    private const int MaxBodyBytes = 4096;

    public async Task<RegistryEndpoint?> ProbeAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        var registry = reference.Registry;
        var https = new Uri($"https://{reference.ApiHost}/");
        var plain = new Uri($"http://{reference.ApiHost}/");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var secureAttempt = AttemptAsync(https, stop.Token);
        HttpResponseMessage? response = null;
        var baseUri = https;
        if (options.IsInsecure(registry))
        {
            // Both at once where plain http is allowed: a port serves one protocol, so a registry answering in plain
            // http settles it at once, and a plain server that never answers a TLS hello costs no wait.
            var plainAnswer = await AttemptAsync(plain, stop.Token).ConfigureAwait(false);
            if (plainAnswer.Response is { } answer && LooksLikeRegistry(answer))
            {
                await stop.CancelAsync().ConfigureAwait(false);
                (await secureAttempt.ConfigureAwait(false)).Response?.Dispose();
                (response, baseUri) = (answer, plain);
            }
            else
            {
                var secureAnswer = await secureAttempt.ConfigureAwait(false);
                if (secureAnswer.Response is not null)
                {
                    plainAnswer.Response?.Dispose();
                    response = secureAnswer.Response;
                }
                else
                {
                    ThrowIfCertificateRefused(registry, reference.ApiHost, secureAnswer.Failure);
                    (response, baseUri) = (plainAnswer.Response, plain);
                    logger.LogDebug("https://{Host}/v2/ failed ({Reason}); plain http is allowed for {Registry}", reference.ApiHost, secureAnswer.Failure?.Message, registry);
                }
            }
        }
        else
        {
            var secureAnswer = await secureAttempt.ConfigureAwait(false);
            ThrowIfCertificateRefused(registry, reference.ApiHost, secureAnswer.Failure);
            response = secureAnswer.Response;
        }

        if (response is null)
        {
            logger.LogDebug("nothing answered at {Registry}'s /v2/; the requests will say so", registry);
            return null;
        }

        using (response)
        {
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // Something is there but unwell (a registry restarting, a proxy's 503): the requests retry and report it.
                logger.LogDebug("{BaseUri}v2/ answered HTTP {Status}; not judged, the requests retry", baseUri, (int)response.StatusCode);
                return null;
            }

            var apiVersion = response.Headers.TryGetValues("Docker-Distribution-API-Version", out var versions) ? versions.FirstOrDefault() : null;
            var isRegistry = LooksLikeRegistry(response)
                || (response.StatusCode == HttpStatusCode.OK && await IsJsonObjectAsync(response, cancellationToken).ConfigureAwait(false));
            if (!isRegistry)
            {
                throw NotARegistry(registry, baseUri, response);
            }

            logger.LogDebug("{Registry} is a registry at {BaseUri} (HTTP {Status}, {Version})", registry, baseUri, (int)response.StatusCode, apiVersion ?? "no API version header");
            return new RegistryEndpoint(registry, baseUri, response.StatusCode, apiVersion);
        }
    }

    /// <summary>One <c>GET /v2/</c> without credentials, sent once: its answer, or why none came.</summary>
    private async Task<(HttpResponseMessage? Response, Exception? Failure)> AttemptAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v2/"));
        request.Options.Set(RegistryAuthenticationHandler.Anonymous, true);
        request.Options.Set(RetryHandler.NoRetry, true);
        try
        {
            return (await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or AttemptTimeoutException or OperationCanceledException)
        {
            // Cancelled included: the other attempt settled it (the probe itself is never cancelled from outside).
            return (null, ex);
        }
    }

    /// <summary>True for an answer only a distribution registry gives (its header, or a 401 with a registry's challenge).</summary>
    private static bool LooksLikeRegistry(HttpResponseMessage response) =>
        response.Headers.Contains("Docker-Distribution-API-Version")
        || (response.StatusCode == HttpStatusCode.Unauthorized && AuthenticationChallenge.From(response.Headers.WwwAuthenticate) is not null);

    private void ThrowIfCertificateRefused(string registry, string apiHost, Exception? failure)
    {
        if (failure is not null && tls?.TakeRefusal(RegistryHost.HostPart(apiHost)) is { } refusal)
        {
            throw UntrustedCertificate(registry, refusal, failure);
        }
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
