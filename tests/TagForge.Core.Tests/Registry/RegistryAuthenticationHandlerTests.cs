using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TagForge.Registry.Auth;
using TagForge.Testing.Ecr;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>
/// How <see cref="RegistryAuthenticationHandler"/> keeps credentials in a long-lived process: it asks its source
/// again when the answer expires, and once when the registry refuses cached credentials. The registry is an
/// in-memory Basic-auth endpoint whose password the test rotates (no real service needed).
/// </summary>
public sealed class RegistryAuthenticationHandlerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Uri Manifest = new("http://registry.test/v2/team/app/manifests/1.0");

    private readonly ManualTimeProvider _time = new(Start);
    private readonly BasicAuthRegistry _registry = new();
    private readonly ChangingCredentialSource _source = new();
    private readonly HttpClient _http;

    public RegistryAuthenticationHandlerTests() =>
        _http = new HttpClient(new RegistryAuthenticationHandler(_source, clock: _time) { InnerHandler = _registry });

    public void Dispose() => _http.Dispose();

    private async Task<HttpStatusCode> GetAsync()
    {
        using var response = await _http.GetAsync(Manifest, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task Asks_the_source_again_when_its_credential_expires()
    {
        _registry.Password = "token-1";
        _source.Answer = new RegistryCredential("AWS", "token-1") { ExpiresAt = Start.AddHours(12) };

        Assert.Equal(HttpStatusCode.OK, await GetAsync());
        _time.Advance(TimeSpan.FromHours(11));
        Assert.Equal(HttpStatusCode.OK, await GetAsync());
        Assert.Equal(1, _source.Calls);

        // Twelve hours on, the token is gone: the registry only takes the new one.
        _registry.Password = "token-2";
        _source.Answer = new RegistryCredential("AWS", "token-2") { ExpiresAt = Start.AddHours(24) };
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.OK, await GetAsync());
        Assert.Equal(2, _source.Calls);
        Assert.Equal(0, _source.Invalidations);
        Assert.DoesNotContain("token-1", _registry.AuthorizationsSince(_registry.Requests - 2));
    }

    [Fact]
    public async Task Drops_cached_credentials_the_registry_refuses_and_asks_the_source_once_more()
    {
        _registry.Password = "old";
        _source.Answer = new RegistryCredential("ci", "old");
        Assert.Equal(HttpStatusCode.OK, await GetAsync());

        _registry.Password = "rotated";
        _source.Answer = new RegistryCredential("ci", "rotated");
        Assert.Equal(HttpStatusCode.OK, await GetAsync());
        Assert.Equal(2, _source.Calls);
        Assert.Equal(1, _source.Invalidations);

        // The source's new answer is refused too: one more try, not a loop.
        _registry.Password = "rotated-again";
        var before = _registry.Requests;
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync());
        Assert.Equal(3, _source.Calls);
        Assert.Equal(2, _source.Invalidations);
        Assert.InRange(_registry.Requests - before, 2, 4);
    }

    [Fact]
    public async Task Does_not_ask_again_when_freshly_fetched_credentials_are_refused()
    {
        _registry.Password = "right";
        _source.Answer = new RegistryCredential("ci", "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync());
        Assert.Equal(1, _source.Calls);
        Assert.Equal(0, _source.Invalidations);
        Assert.Equal(2, _registry.Requests);
    }

    [Fact]
    public async Task Asks_the_source_again_when_the_token_server_refuses_cached_credentials()
    {
        _registry.Bearer = true;
        _registry.Password = "old";
        _source.Answer = new RegistryCredential("ci", "old");
        Assert.Equal(HttpStatusCode.OK, await GetAsync());

        // Tokens last 60 seconds; after that the token server must be asked, and it takes only the new password.
        _time.Advance(TimeSpan.FromMinutes(5));
        _registry.Password = "rotated";
        _source.Answer = new RegistryCredential("ci", "rotated");

        Assert.Equal(HttpStatusCode.OK, await GetAsync());
        Assert.Equal(2, _source.Calls);
        Assert.Equal(1, _source.Invalidations);
    }

    /// <summary>A credential source whose answer the test changes; counts questions and invalidations.</summary>
    private sealed class ChangingCredentialSource : IRegistryCredentialSource
    {
        public RegistryCredential? Answer { get; set; }

        public int Calls { get; private set; }

        public int Invalidations { get; private set; }

        public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(Answer);
        }

        public void Invalidate(string registry) => Invalidations++;
    }

    /// <summary>
    /// Answers 200 to Basic <c>user:Password</c>, else 401 with a Basic challenge; with <see cref="Bearer"/>, challenges
    /// for a token from <c>https://registry.test/token</c>, which hands one out for Basic <c>user:Password</c>.
    /// </summary>
    private sealed class BasicAuthRegistry : HttpMessageHandler
    {
        private readonly List<string> _authorizations = [];

        public string Password { get; set; } = "";

        public bool Bearer { get; set; }

        public int Requests => _authorizations.Count;

        public IEnumerable<string> AuthorizationsSince(int index) => _authorizations.Skip(index);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = request.Headers.Authorization is { Scheme: "Basic", Parameter: { } parameter }
                ? Encoding.UTF8.GetString(Convert.FromBase64String(parameter))
                : "";
            _authorizations.Add(sent);
            if (Bearer)
            {
                return Task.FromResult(BearerAnswer(request, sent));
            }

            var response = new HttpResponseMessage(sent.EndsWith(":" + Password, StringComparison.Ordinal) ? HttpStatusCode.OK : HttpStatusCode.Unauthorized);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"registry.test\""));
            }

            return Task.FromResult(response);
        }

        private HttpResponseMessage BearerAnswer(HttpRequestMessage request, string basic)
        {
            if (request.RequestUri!.AbsolutePath == "/token")
            {
                return basic.EndsWith(":" + Password, StringComparison.Ordinal)
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"token\":\"t-{Password}\"}}") }
                    : new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }

            if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } token } && token == "t-" + Password)
            {
                return new HttpResponseMessage(HttpStatusCode.OK);
            }

            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "realm=\"https://registry.test/token\",service=\"registry.test\""));
            return challenge;
        }
    }
}
