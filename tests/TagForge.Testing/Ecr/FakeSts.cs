using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Web;

namespace TagForge.Testing.Ecr;

/// <summary>
/// A fake AWS STS answering <c>AssumeRoleWithWebIdentity</c> (the query protocol's form POST and XML answer) on
/// 127.0.0.1, for the web-identity credentials GitHub Actions OIDC uses (<c>AWS_ROLE_ARN</c> +
/// <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>). It hands out fixed temporary credentials that <see cref="FakeEcr"/> is told to
/// accept. It checks the action, role and token; it does not validate the token's JWT signature.
/// </summary>
public sealed class FakeSts : IAsyncDisposable
{
    public const string AccessKeyId = "ASIAFAKESTSWEBIDENT1";
    public const string SecretAccessKey = "sts/Temporary+Secret/Key/For/Web/Identity0";
    public const string SessionToken = "FwoGZXIvYXdzEFAKESESSIONTOKENFORTAGFORGETESTS";

    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _requests = new();

    private FakeSts(HttpListener listener, int port, string roleArn, string token)
    {
        _listener = listener;
        Port = port;
        RoleArn = roleArn;
        Token = token;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string EndpointUrl => $"http://127.0.0.1:{Port}";

    public string RoleArn { get; }

    public string Token { get; }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests => [.. _requests];

    public static FakeSts Start(string roleArn, string token)
    {
        var port = FreePort.Next();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        return new FakeSts(listener, port, roleArn, token);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or HttpListenerException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var form = HttpUtility.ParseQueryString(body);
            var query = HttpUtility.ParseQueryString(context.Request.Url?.Query ?? "");
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var collection in new[] { query, form })
            {
                foreach (var key in collection.AllKeys.OfType<string>())
                {
                    fields[key] = collection[key] ?? "";
                }
            }

            _requests.Enqueue(fields);
            string xml;
            if (fields.GetValueOrDefault("Action") != "AssumeRoleWithWebIdentity" || fields.GetValueOrDefault("RoleArn") != RoleArn || fields.GetValueOrDefault("WebIdentityToken") != Token)
            {
                context.Response.StatusCode = 400;
                xml = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Incorrect token audience</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>""";
            }
            else
            {
                var expiration = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                xml = $"""
                    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleWithWebIdentityResult>
                        <SubjectFromWebIdentityToken>repo:tagforge/app:ref:refs/heads/main</SubjectFromWebIdentityToken>
                        <Audience>sts.amazonaws.com</Audience>
                        <AssumedRoleUser>
                          <Arn>arn:aws:sts::123456789012:assumed-role/ci/{fields.GetValueOrDefault("RoleSessionName")}</Arn>
                          <AssumedRoleId>AROAFAKEROLE:{fields.GetValueOrDefault("RoleSessionName")}</AssumedRoleId>
                        </AssumedRoleUser>
                        <Credentials>
                          <SessionToken>{SessionToken}</SessionToken>
                          <SecretAccessKey>{SecretAccessKey}</SecretAccessKey>
                          <Expiration>{expiration}</Expiration>
                          <AccessKeyId>{AccessKeyId}</AccessKeyId>
                        </Credentials>
                        <Provider>token.actions.githubusercontent.com</Provider>
                      </AssumeRoleWithWebIdentityResult>
                      <ResponseMetadata><RequestId>11111111-1111-1111-1111-111111111111</RequestId></ResponseMetadata>
                    </AssumeRoleWithWebIdentityResponse>
                    """;
            }

            var payload = Encoding.UTF8.GetBytes(xml);
            context.Response.ContentType = "text/xml";
            context.Response.ContentLength64 = payload.Length;
            await context.Response.OutputStream.WriteAsync(payload);
            context.Response.Close();
        }
    }
}
