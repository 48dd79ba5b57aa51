using System.Net;
using System.Text;

namespace TagForge.Testing;

/// <summary>
/// A fault-injecting HTTP proxy on 127.0.0.1 in front of a real registry (usually a <see cref="LocalRegistry"/>):
/// every request is forwarded unchanged (the Host header included, so the registry's upload Locations point back
/// at the proxy) unless a scripted <see cref="Fault"/> matches it first. Point TagForge, or docker (which treats
/// 127.0.0.1 as an insecure registry), at <see cref="Host"/> instead of the registry. Needs: the upstream registry.
/// <code>
/// await using var proxy = FaultProxy.Start(registry.Host);
/// proxy.Inject(Fault.Status(503, retryAfterSeconds: 1, method: "HEAD", pathContains: "/manifests/", times: 2));
/// </code>
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    /// <summary>Headers the listener or the client computes itself; copying them would contradict what is sent.</summary>
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Proxy-Connection", "TE", "Trailer", "Upgrade",
    };

    private readonly HttpClient _upstream;
    private readonly List<Fault> _faults = [];
    private readonly List<string> _log = [];
    private StubHttpServer? _server;

    private FaultProxy(string upstreamHost)
    {
        Upstream = new Uri($"http://{upstreamHost}/");
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>The registry behind the proxy.</summary>
    public Uri Upstream { get; }

    /// <summary><c>127.0.0.1:PORT</c>: the registry name to give TagForge or docker.</summary>
    public string Host => _server!.Host;

    /// <summary>"METHOD path -> what happened" for every request so far (forwarded status, or the fault injected).</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Starts a proxy forwarding to <paramref name="upstreamHost"/> (<c>host:port</c>, plain http).</summary>
    public static FaultProxy Start(string upstreamHost)
    {
        var proxy = new FaultProxy(upstreamHost);
        proxy._server = StubHttpServer.Start(proxy.HandleAsync);
        return proxy;
    }

    /// <summary>Adds a fault; faults are tried in the order added, and a fault stops matching once it has fired its <see cref="Fault.Times"/>.</summary>
    public FaultProxy Inject(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_faults)
        {
            _faults.Add(fault);
        }

        return this;
    }

    /// <summary>Removes every fault: from now on the proxy only forwards.</summary>
    public void Clear()
    {
        lock (_faults)
        {
            _faults.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _upstream.Dispose();
    }

    private Fault? Take(HttpListenerRequest request)
    {
        lock (_faults)
        {
            var path = request.Url?.AbsolutePath ?? "";
            foreach (var fault in _faults)
            {
                fault.Observe(request.HttpMethod, path);
            }

            var match = _faults.FirstOrDefault(fault => fault.Matches(request.HttpMethod, path));
            match?.Fire();
            return match;
        }
    }

    private void Record(HttpListenerRequest request, string outcome)
    {
        lock (_log)
        {
            _log.Add($"{request.HttpMethod} {request.Url?.PathAndQuery} -> {outcome}");
        }
    }

    private async Task HandleAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        var fault = Take(request);
        if (fault is not null)
        {
            Record(request, fault.ToString());
        }

        switch (fault?.Kind)
        {
            case FaultKind.Reset:
                // Drain nothing, answer nothing: the client sees its connection torn down mid-request.
                response.Abort();
                return;
            case FaultKind.Status:
                response.StatusCode = fault.StatusCode;
                if (fault.RetryAfterSeconds is { } seconds)
                {
                    response.AddHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                await WriteBodyAsync(request, response, Encoding.UTF8.GetBytes($"{{\"errors\":[{{\"code\":\"INJECTED\",\"message\":\"injected HTTP {fault.StatusCode}\"}}]}}"), "application/json");
                return;
            case FaultKind.HtmlWithoutDigest:
                response.StatusCode = 200;
                await WriteBodyAsync(request, response, "<!DOCTYPE html><html><body>Sign in to continue</body></html>"u8.ToArray(), "text/html; charset=utf-8");
                return;
            case FaultKind.Delay:
                await Task.Delay(fault.Delay);
                break;
            case FaultKind.Hold:
                fault.SignalReached();
                await fault.Released!;
                break;
            default:
                break;
        }

        await ForwardAsync(request, response, fault);
    }

    private async Task ForwardAsync(HttpListenerRequest request, HttpListenerResponse response, Fault? fault)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(Upstream, request.Url!.PathAndQuery));
        if (request.HasEntityBody)
        {
            message.Content = new StreamContent(request.InputStream);
        }

        foreach (var name in request.Headers.AllKeys.OfType<string>().Where(name => !HopHeaders.Contains(name)))
        {
            var values = request.Headers.GetValues(name) ?? [];
            if (!message.Headers.TryAddWithoutValidation(name, values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, values);
            }
        }

        if (request.ContentLength64 > 0 && message.Content is not null)
        {
            message.Content.Headers.ContentLength = request.ContentLength64;
        }

        message.Headers.Host = request.Headers["Host"];
        HttpResponseMessage upstream;
        try
        {
            upstream = await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException ex)
        {
            Record(request, $"upstream failed: {ex.Message}");
            response.StatusCode = 502;
            response.Close();
            return;
        }

        using (upstream)
        {
            var body = await upstream.Content.ReadAsByteArrayAsync();
            if (fault is null || fault.Kind is FaultKind.Delay or FaultKind.Hold)
            {
                Record(request, ((int)upstream.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            response.StatusCode = (int)upstream.StatusCode;
            foreach (var (name, values) in upstream.Headers.Concat(upstream.Content.Headers))
            {
                if (HopHeaders.Contains(name) || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (var value in values)
                {
                    try
                    {
                        response.AppendHeader(name, value);
                    }
                    catch (ArgumentException)
                    {
                        // A header HttpListener refuses to be handed; none a registry client depends on.
                    }
                }
            }

            if (upstream.Content.Headers.ContentType is { } type)
            {
                response.ContentType = type.ToString();
            }

            var isHead = request.HttpMethod == "HEAD";
            var length = isHead ? upstream.Content.Headers.ContentLength ?? body.Length : body.Length;
            switch (fault?.Kind)
            {
                case FaultKind.TruncatedBody when !isHead:
                    // The full length announced, half of it sent, then the connection cut.
                    response.ContentLength64 = body.Length;
                    await response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
                    await response.OutputStream.FlushAsync();
                    response.Abort();
                    return;
                case FaultKind.InvalidBody when !isHead:
                    var garbage = "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"layers\": [{"u8.ToArray();
                    response.ContentLength64 = garbage.Length;
                    await response.OutputStream.WriteAsync(garbage);
                    response.Close();
                    return;
                default:
                    response.ContentLength64 = length;
                    if (!isHead)
                    {
                        await response.OutputStream.WriteAsync(body);
                    }

                    response.Close();
                    return;
            }
        }
    }

    private static async Task WriteBodyAsync(HttpListenerRequest request, HttpListenerResponse response, byte[] body, string contentType)
    {
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        if (request.HttpMethod != "HEAD")
        {
            await response.OutputStream.WriteAsync(body);
        }

        response.Close();
    }
}

/// <summary>What a <see cref="Fault"/> does to a request it matches.</summary>
public enum FaultKind
{
    /// <summary>The connection is torn down without an answer.</summary>
    Reset,

    /// <summary>The request is forwarded after a delay.</summary>
    Delay,

    /// <summary>An error status (429, 503, 404...) with an optional <c>Retry-After</c>, not forwarded.</summary>
    Status,

    /// <summary>Forwarded; the body is cut in half and the connection closed.</summary>
    TruncatedBody,

    /// <summary>Forwarded; the body is replaced by JSON that does not parse.</summary>
    InvalidBody,

    /// <summary>A 200 without <c>Docker-Content-Digest</c> and an HTML login page for a body (a captive portal, a misrouted proxy).</summary>
    HtmlWithoutDigest,

    /// <summary>Held until the test releases it, then forwarded: a race made deterministic (the test acts while the client waits).</summary>
    Hold,
}

/// <summary>
/// One scripted fault of a <see cref="FaultProxy"/>: which requests it hits (method, a fragment of the path), how
/// many times, and, for <see cref="AfterManifestPut"/>, only once a manifest has been pushed through the proxy.
/// </summary>
public sealed class Fault
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _armed;
    private int _skipped;

    private Fault(FaultKind kind, string? method, string? pathContains, int times, bool afterManifestPut)
    {
        Kind = kind;
        Method = method;
        PathContains = pathContains;
        Times = times;
        _armed = !afterManifestPut;
        AfterPut = afterManifestPut;
    }

    public FaultKind Kind { get; }

    public string? Method { get; }

    public string? PathContains { get; }

    /// <summary>How many requests it fires for (int.MaxValue: every matching one).</summary>
    public int Times { get; }

    public int StatusCode { get; private init; }

    public int? RetryAfterSeconds { get; private init; }

    public TimeSpan Delay { get; private init; }

    /// <summary>Waits for a manifest PUT before it starts firing.</summary>
    public bool AfterPut { get; }

    /// <summary>How many times it has fired so far.</summary>
    public int FiredCount { get; private set; }

    /// <summary>Requests this many matching requests pass before the fault fires (<see cref="Hold"/>).</summary>
    public int Skip { get; private init; }

    /// <summary>What a held request waits for (<see cref="Hold"/>).</summary>
    public Task? Released { get; private init; }

    /// <summary>Completes when the first request is held: the client is now waiting at that point.</summary>
    public Task Reached => _reached.Task;

    /// <summary>
    /// Holds the matching requests, after letting <paramref name="skip"/> of them through, until <paramref name="released"/>
    /// completes; then forwards them. <see cref="Reached"/> tells the test the client is waiting there.
    /// </summary>
    public static Fault Hold(Task released, string? method = null, string? pathContains = null, int skip = 0, int times = int.MaxValue) =>
        new(FaultKind.Hold, method, pathContains, times, false) { Released = released, Skip = skip };

    public static Fault Reset(string? method = null, string? pathContains = null, int times = 1) => new(FaultKind.Reset, method, pathContains, times, false);

    public static Fault Slow(TimeSpan delay, string? method = null, string? pathContains = null, int times = int.MaxValue) =>
        new(FaultKind.Delay, method, pathContains, times, false) { Delay = delay };

    public static Fault Status(int status, int? retryAfterSeconds = null, string? method = null, string? pathContains = null, int times = 1) =>
        new(FaultKind.Status, method, pathContains, times, false) { StatusCode = status, RetryAfterSeconds = retryAfterSeconds };

    public static Fault TruncatedBody(string? method = "GET", string? pathContains = null, int times = 1) => new(FaultKind.TruncatedBody, method, pathContains, times, false);

    public static Fault InvalidBody(string? method = "GET", string? pathContains = null, int times = 1) => new(FaultKind.InvalidBody, method, pathContains, times, false);

    public static Fault HtmlWithoutDigest(string? pathContains = "/manifests/", int times = int.MaxValue) => new(FaultKind.HtmlWithoutDigest, null, pathContains, times, false);

    /// <summary>
    /// Read-after-push lag (GHCR's): once a manifest has been PUT through the proxy, the next <paramref name="times"/>
    /// reads of a manifest (HEAD or GET) answer 404.
    /// </summary>
    public static Fault AfterManifestPut(int times, int status = 404) =>
        new(FaultKind.Status, null, "/manifests/", times, afterManifestPut: true) { StatusCode = status };

    public override string ToString() => Kind switch
    {
        FaultKind.Status => $"injected {StatusCode}" + (RetryAfterSeconds is { } s ? $" Retry-After {s}" : ""),
        FaultKind.Delay => $"delayed {Delay.TotalMilliseconds:0} ms",
        _ => $"injected {Kind}",
    };

    internal void Observe(string method, string path)
    {
        lock (_lock)
        {
            if (AfterPut && method == "PUT" && path.Contains("/manifests/", StringComparison.Ordinal))
            {
                _armed = true;
            }
        }
    }

    internal bool Matches(string method, string path)
    {
        lock (_lock)
        {
            var matches = _armed
                && FiredCount < Times
                && (Method is null || Method == method)
                && !(AfterPut && method is not ("HEAD" or "GET"))
                && (PathContains is null || path.Contains(PathContains, StringComparison.Ordinal));
            if (matches && _skipped < Skip)
            {
                _skipped++;
                return false;
            }

            return matches;
        }
    }

    internal void SignalReached() => _reached.TrySetResult();

    internal void Fire()
    {
        lock (_lock)
        {
            FiredCount++;
        }
    }
}
