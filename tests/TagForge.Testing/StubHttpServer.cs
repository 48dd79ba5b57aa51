using System.Net;

namespace TagForge.Testing;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (HttpListener) that answers every request with a handler: for the faults a real
/// registry will not produce on demand (500s, invalid JSON), and for token servers.
/// </summary>
public sealed class StubHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerRequest, HttpListenerResponse, Task> _handler;
    private readonly Task _loop;
    private readonly List<string> _requests = [];

    private StubHttpServer(HttpListener listener, int port, Func<HttpListenerRequest, HttpListenerResponse, Task> handler)
    {
        _listener = listener;
        _handler = handler;
        Port = port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    /// <summary>"METHOD path?query" of every request so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static StubHttpServer Start(Func<HttpListenerRequest, HttpListenerResponse, Task> handler)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new StubHttpServer(listener, port, handler);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static StubHttpServer Answering(int status, string body = "", string contentType = "application/json") =>
        Start(async (_, response) => await WriteAsync(response, status, body, contentType));

    public static async Task WriteAsync(HttpListenerResponse response, int status, string body, string contentType = "application/json")
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
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

            lock (_requests)
            {
                _requests.Add($"{context.Request.HttpMethod} {context.Request.Url?.PathAndQuery}");
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context.Request, context.Response);
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
                {
                    // The client went away.
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The managed listener sometimes re-resolves its endpoint while closing; it is closed either way.
        }

        await _loop;
    }
}
