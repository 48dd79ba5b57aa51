using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace TagForge.Testing;

/// <summary>
/// A real registry in token-auth mode (Debian's docker-registry with <c>auth: token</c>) and the token server it
/// trusts: an HttpListener on 127.0.0.1 that checks Basic credentials (GET) or the OAuth2 password form (POST) and
/// issues RS256 JWTs signed with a throwaway key whose self-signed certificate is the registry's rootcertbundle.
/// Needs: the docker-registry package.
/// </summary>
public sealed class TokenAuthRegistry : IAsyncDisposable
{
    public const string Service = "tagforge-test-registry";
    public const string Issuer = "tagforge-test-issuer";

    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;
    private readonly TempDirectory _directory;
    private readonly string _user;
    private readonly string _password;
    private int _tokensIssued;

    private TokenAuthRegistry(string user, string password, bool postOnly)
    {
        _user = user;
        _password = password;
        PostOnly = postOnly;
        _key = RSA.Create(2048);
        var request = new CertificateRequest("CN=tagforge test token issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _directory = new TempDirectory("tokenauth");
        _directory.Write("root.pem", _certificate.ExportCertificatePem());
        TokenServer = StubHttpServer.Start(HandleAsync);
    }

    /// <summary>True when the token server answers GET with 405 (only the OAuth2 POST form works).</summary>
    public bool PostOnly { get; }

    public StubHttpServer TokenServer { get; }

    public LocalRegistry Registry { get; private set; } = null!;

    public int TokensIssued => _tokensIssued;

    public static async Task<TokenAuthRegistry> StartAsync(string user, string password, bool postOnly = false)
    {
        var server = new TokenAuthRegistry(user, password, postOnly);
        server.Registry = await LocalRegistry.StartAsync($"""
            auth:
              token:
                realm: http://{server.TokenServer.Host}/token
                service: {Service}
                issuer: {Issuer}
                rootcertbundle: {server._directory.Combine("root.pem")}
            """);
        return server;
    }

    private async Task HandleAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        string? user = null, password = null, scope = request.QueryString["scope"];
        if (request.HttpMethod == "GET")
        {
            if (PostOnly)
            {
                await StubHttpServer.WriteAsync(response, 405, "{\"error\":\"use POST\"}");
                return;
            }

            if (request.Headers["Authorization"] is { } header && header.StartsWith("Basic ", StringComparison.Ordinal))
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
            }
        }
        else
        {
            using var reader = new StreamReader(request.InputStream);
            var form = System.Web.HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
            if (form["grant_type"] == "password")
            {
                (user, password) = (form["username"], form["password"]);
            }

            scope = form["scope"];
        }

        if (user != _user || password != _password)
        {
            await StubHttpServer.WriteAsync(response, 401, "{\"details\":\"incorrect username or password\"}");
            return;
        }

        Interlocked.Increment(ref _tokensIssued);
        var token = IssueToken(user!, scope);
        var body = request.HttpMethod == "GET"
            ? new JsonObject { ["token"] = token, ["expires_in"] = 300 }
            : new JsonObject { ["access_token"] = token, ["expires_in"] = 300 };
        await StubHttpServer.WriteAsync(response, 200, body.ToJsonString());
    }

    private string IssueToken(string subject, string? scope)
    {
        var access = new JsonArray();
        foreach (var item in (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // repository:team/app:pull,push
            var parts = item.Split(':');
            if (parts.Length >= 3)
            {
                access.Add(new JsonObject
                {
                    ["type"] = parts[0],
                    ["name"] = string.Join(':', parts[1..^1]),
                    ["actions"] = new JsonArray([.. parts[^1].Split(',').Select(a => (JsonNode)JsonValue.Create(a)!)]),
                });
            }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new JsonArray(JsonValue.Create(Convert.ToBase64String(_certificate.RawData))),
        };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        await TokenServer.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
        _directory.Dispose();
    }
}
