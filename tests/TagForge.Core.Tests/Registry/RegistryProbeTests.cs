using System.Net;
using TagForge.Registry.Auth;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// The one look at <c>/v2/</c> a probing client takes before anything else: against a plain web server (an
/// HttpListener answering like a web site would), Debian's docker-registry over plain http, and the same registry
/// serving TLS on 127.0.0.1 with a self-signed certificate. Needs: docker-registry.
/// </summary>
public sealed class RegistryProbeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RegistryClient Probing(params string[] insecure) =>
        new(new RegistryClientOptions { ProbeRegistries = true, InsecureRegistries = insecure, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });

    [Theory]
    [InlineData(404, "<html><body>File not found</body></html>", "text/html")]
    [InlineData(200, "<!doctype html><title>It works</title>", "text/html")]
    [InlineData(403, "<html>Forbidden</html>", "text/html")]
    [InlineData(401, "", "text/plain")]
    public async Task A_web_server_that_is_not_a_registry_fails_the_first_request_naming_what_answered(int status, string body, string contentType)
    {
        await using var web = StubHttpServer.Start(async (_, response) =>
        {
            response.Headers["Server"] = "TestWeb/1.0";
            await StubHttpServer.WriteAsync(response, status, body, contentType);
        });
        using var client = Probing();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync(ImageReference.Parse($"{web.Host}/team/app:v1"), Token));
        var again = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(ImageReference.Parse($"{web.Host}/team/app"), Token));

        Assert.StartsWith($"{web.Host} is not a container registry: GET http://{web.Host}/v2/ answered HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.Contains("TestWeb/1.0", error.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(error.Message, again.Message);
        // One probe per registry and client, and nothing asked past it.
        Assert.Equal("GET /v2/", Assert.Single(web.Requests));
    }

    [Fact]
    public async Task A_plain_http_registry_on_loopback_is_found_after_https_fails_and_asked_once()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = Probing();
        var reference = ImageReference.Parse($"{registry.Host}/team/app:v1");

        var endpoint = await client.ProbeAsync(reference, Token);
        Assert.Null(await client.HeadManifestAsync(reference, Token));

        Assert.NotNull(endpoint);
        Assert.Equal(new Uri($"http://{registry.Host}/"), endpoint.BaseUri);
        Assert.Equal(HttpStatusCode.OK, endpoint.Status);
        Assert.Equal("registry/2.0", endpoint.ApiVersion);
        Assert.Same(endpoint, await client.ProbeAsync(reference, Token));
    }

    [Fact]
    public async Task A_registry_asking_for_credentials_is_a_registry_and_the_check_tells_refused_from_missing()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("dev", "right");
        var reference = ImageReference.Parse($"{registry.Host}/team/app");
        using var anonymous = Probing();
        using var wrong = new RegistryClient(new RegistryClientOptions { ProbeRegistries = true, Credentials = new ExplicitCredentialSource(new RegistryCredential("dev", "wrong")) });
        using var right = new RegistryClient(new RegistryClientOptions { ProbeRegistries = true, Credentials = new ExplicitCredentialSource(new RegistryCredential("dev", "right")) });

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.ProbeAsync(reference, Token))!.Status);
        Assert.Equal(RegistryAccessOutcome.NoCredentials, (await anonymous.CheckAccessAsync(reference, Token)).Outcome);
        var refused = await wrong.CheckAccessAsync(reference, Token);
        Assert.Equal((RegistryAccessOutcome.Refused, "dev"), (refused.Outcome, refused.User));
        Assert.Equal(RegistryAccessOutcome.Accepted, (await right.CheckAccessAsync(reference, Token)).Outcome);
    }

    [Fact]
    public async Task A_TLS_registry_on_loopback_with_an_untrusted_certificate_is_refused_saying_how_to_trust_it()
    {
        using var certificate = new SelfSignedCertificate();
        await using var registry = await LocalRegistry.StartWithTlsAsync(certificate);
        using var client = Probing();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(ImageReference.Parse($"{registry.Host}/team/app"), Token));

        Assert.StartsWith($"the TLS certificate of registry {registry.Host} is not trusted (RemoteCertificateChainErrors)", error.Message, StringComparison.Ordinal);
        Assert.Contains("SSL_CERT_FILE", error.Message, StringComparison.Ordinal);
        Assert.Contains($"--insecure-registry {registry.Host}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("127.0.0.1")]
    public async Task An_insecure_registry_may_serve_TLS_with_a_certificate_nobody_vouches_for(string insecure)
    {
        using var certificate = new SelfSignedCertificate();
        await using var registry = await LocalRegistry.StartWithTlsAsync(certificate);
        using var client = Probing(string.Format(System.Globalization.CultureInfo.InvariantCulture, insecure, registry.Host));
        var pushed = await RegistryImages.PushImageAsync(client, ImageReference.Parse($"{registry.Host}/team/app:v1"), cancellationToken: Token);

        var endpoint = await client.ProbeAsync(ImageReference.Parse($"{registry.Host}/team/app"), Token);

        Assert.Equal(new Uri($"https://{registry.Host}/"), endpoint!.BaseUri);
        Assert.Equal(pushed.Digest, (await client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/team/app:v1"), Token))?.Digest);
    }

    [Fact]
    public async Task A_server_error_at_v2_is_not_judged_the_request_retries_and_reports_it()
    {
        await using var unwell = StubHttpServer.Answering(503, "<html>Service Unavailable</html>", "text/html");
        using var client = Probing();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync(ImageReference.Parse($"{unwell.Host}/team/app:v1"), Token));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("HEAD manifest v1", error.Message, StringComparison.Ordinal);
        Assert.Contains(unwell.Requests, request => request.StartsWith("HEAD /v2/team/app/manifests/v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_listening_is_unreachable_not_a_web_server()
    {
        using var client = Probing();
        var port = FreePort.Next();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(ImageReference.Parse($"127.0.0.1:{port}/team/app"), Token));

        Assert.StartsWith($"cannot reach registry 127.0.0.1:{port} (http://127.0.0.1:{port})", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
    }
}
