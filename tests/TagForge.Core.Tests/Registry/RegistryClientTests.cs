using System.Net;
using TagForge.Errors;
using TagForge.Registry.Auth;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// The registry client against real registries: Debian's docker-registry anonymous, with htpasswd Basic auth, and
/// in token-auth mode with a test token server; images pushed by the real Docker engine. Faults a real registry
/// will not produce on demand (500, invalid JSON) come from a tiny HttpListener.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class RegistryClientTests
{
    private static readonly RegistryClientOptions FastRetries = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryAttempts = 2 };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RegistryClient Client(string? user = null, string? password = null) =>
        new(FastRetries with { Credentials = user is null ? null : new ExplicitCredentialSource(new RegistryCredential(user, password)) });

    [Fact]
    public async Task Reads_the_digest_docker_pushed_from_an_anonymous_registry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var digest = await ScratchImages.PushAsync(registry.Host, "team/app", "v1");
        using var client = Client();

        var manifest = await client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/team/app:v1"), Token);

        Assert.NotNull(manifest);
        Assert.Equal(digest, manifest.Digest.ToString());
        Assert.Contains(manifest.MediaType, RegistryClient.ManifestMediaTypes);
        Assert.Null(await client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/team/app:absent"), Token));
        Assert.Equal(["v1"], await client.ListTagsAsync(ImageReference.Parse($"{registry.Host}/team/app"), Token));
        Assert.Empty(await client.ListTagsAsync(ImageReference.Parse($"{registry.Host}/team/nothing-here"), Token));
    }

    [Fact]
    public async Task Authenticates_with_htpasswd_basic_auth_and_reports_wrong_credentials()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("ci", "s3cret-basic");
        var digest = await ScratchImages.PushAsync(registry.Host, "team/basic", "v1", "ci", "s3cret-basic");
        var reference = ImageReference.Parse($"{registry.Host}/team/basic:v1");

        using (var client = Client("ci", "s3cret-basic"))
        {
            Assert.Equal(digest, (await client.HeadManifestAsync(reference, Token))?.Digest.ToString());
            Assert.Equal(["v1"], await client.ListTagsAsync(reference, Token));
        }

        using var wrong = Client("ci", "not-the-password");
        var error = await Assert.ThrowsAsync<RegistryException>(() => wrong.HeadManifestAsync(reference, Token));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.StartsWith($"{registry.Host} refused the credentials for ci (HTTP 401 Unauthorized for HEAD manifest v1 of team/basic)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"tagforge login {registry.Host}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);

        using var anonymous = Client();
        var missing = await Assert.ThrowsAsync<RegistryException>(() => anonymous.ListTagsAsync(reference, Token));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.StartsWith($"no credentials for {registry.Host}: it refused GET tags/list for team/basic anonymously", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fetches_bearer_tokens_from_the_realm_and_caches_them(bool postOnly)
    {
        await using var auth = await TokenAuthRegistry.StartAsync("robot", "t0ken-pass", postOnly);
        var host = auth.Registry.Host;
        var digest = postOnly ? null : await ScratchImages.PushAsync(host, "team/token", "v1", "robot", "t0ken-pass");
        var reference = ImageReference.Parse($"{host}/team/token:v1");
        using var client = Client("robot", "t0ken-pass");

        var manifest = await client.HeadManifestAsync(reference, Token);
        var tags = await client.ListTagsAsync(reference, Token);
        var issued = auth.TokensIssued;
        await client.HeadManifestAsync(reference, Token);

        if (digest is null)
        {
            Assert.Null(manifest);
            Assert.Empty(tags);
        }
        else
        {
            Assert.Equal(digest, manifest?.Digest.ToString());
            Assert.Equal(["v1"], tags);
        }

        Assert.Equal(issued, auth.TokensIssued);
        Assert.Contains(auth.TokenServer.Requests, r => r.StartsWith(postOnly ? "POST /token" : "GET /token?service=", StringComparison.Ordinal));

        using var wrong = Client("robot", "wrong");
        var error = await Assert.ThrowsAsync<RegistryException>(() => wrong.HeadManifestAsync(reference, Token));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.StartsWith($"{host} refused the credentials for robot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_an_unreachable_registry_naming_it()
    {
        var registry = await LocalRegistry.StartAsync();
        var host = registry.Host;
        await registry.StopAsync();
        await registry.DisposeAsync();
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync(ImageReference.Parse($"{host}/team/app:v1"), Token));

        Assert.Null(error.StatusCode);
        Assert.StartsWith($"cannot reach registry {host}", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.ExternalFailure, error.ExitCode);
    }

    [Fact]
    public async Task Retries_server_errors_a_bounded_number_of_times_then_names_the_status()
    {
        await using var server = StubHttpServer.Answering(500, "{\"errors\":[]}");
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync(ImageReference.Parse($"{server.Host}/team/app:v1"), Token));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Contains("team/app", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Honours_retry_after_and_succeeds_when_the_registry_recovers()
    {
        var calls = 0;
        await using var server = StubHttpServer.Start(async (_, response) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                response.AddHeader("Retry-After", "0");
                await StubHttpServer.WriteAsync(response, 429, "");
                return;
            }

            await StubHttpServer.WriteAsync(response, 200, "{\"name\":\"team/app\",\"tags\":[\"a\"]}");
        });
        using var client = Client();

        Assert.Equal(["a"], await client.ListTagsAsync(ImageReference.Parse($"{server.Host}/team/app"), Token));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Reports_invalid_json_from_the_registry_clearly()
    {
        await using var server = StubHttpServer.Answering(200, "<html>not a registry</html>", "text/html");
        using var client = Client();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(ImageReference.Parse($"{server.Host}/team/app"), Token));

        Assert.Contains("invalid JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Host, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follows_link_headers_through_every_page_of_tags()
    {
        await using var server = StubHttpServer.Start(async (request, response) =>
        {
            var last = request.QueryString["last"];
            if (last is null)
            {
                response.AddHeader("Link", "</v2/team/app/tags/list?n=2&last=b>; rel=\"next\"");
                await StubHttpServer.WriteAsync(response, 200, "{\"name\":\"team/app\",\"tags\":[\"a\",\"b\"]}");
            }
            else
            {
                await StubHttpServer.WriteAsync(response, 200, "{\"name\":\"team/app\",\"tags\":[\"c\"]}");
            }
        });
        using var client = Client();

        Assert.Equal(["a", "b", "c"], await client.ListTagsAsync(ImageReference.Parse($"{server.Host}/team/app"), Token));
    }

    [Theory]
    [InlineData("http://evil.example.com/token")]
    [InlineData("ftp://evil.example.com/token")]
    [InlineData("https://user:pw@evil.example.com/token")]
    [InlineData("/relative")]
    public void Refuses_to_send_credentials_to_an_unsafe_realm(string realm)
    {
        Assert.Throws<ExternalFailureException>(() => RegistryAuthenticationHandler.ValidateRealm(realm, "registry.example.com", _ => false));
    }

    [Theory]
    [InlineData("https://auth.example.com/token")]
    [InlineData("http://127.0.0.1:5001/token")]
    [InlineData("http://localhost/token")]
    [InlineData("http://[::1]:80/token")]
    public void Accepts_https_realms_and_plain_http_on_loopback(string realm)
    {
        Assert.NotNull(RegistryAuthenticationHandler.ValidateRealm(realm, "registry.example.com", _ => false));
    }

    [Fact]
    public void Accepts_a_plain_http_realm_on_a_registry_declared_insecure()
    {
        var options = new RegistryClientOptions { InsecureRegistries = ["auth.internal:8080"] };
        Assert.NotNull(RegistryAuthenticationHandler.ValidateRealm("http://auth.internal:8080/token", "registry.internal", options.IsInsecure));
    }

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.internal:5000", true)]
    [InlineData("registry.example.com", false)]
    [InlineData("docker.io", false)]
    public void Speaks_plain_http_only_to_loopback_and_declared_insecure_registries(string registry, bool insecure)
    {
        var options = new RegistryClientOptions { InsecureRegistries = ["registry.internal"] };
        Assert.Equal(insecure, options.IsInsecure(registry));
    }

    [Fact]
    public void Parses_bearer_challenges_with_quoted_commas()
    {
        var challenge = AuthenticationChallenge.Parse("Bearer", "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull,push\"");

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/nginx:pull,push", challenge.Scope);
    }
}
