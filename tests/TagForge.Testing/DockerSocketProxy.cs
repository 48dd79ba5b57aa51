using System.Net.Sockets;

namespace TagForge.Testing;

/// <summary>
/// A unix socket in a temp folder that forwards to the real Docker engine's socket, and can be cut: to a docker CLI
/// pointed at it (<c>DOCKER_HOST=unix://…</c>) the engine stops answering mid-command. Needs: the Docker engine on
/// /var/run/docker.sock.
/// </summary>
public sealed class DockerSocketProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly TempDirectory _directory;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _loop;
    private readonly System.Text.StringBuilder _engineSaid = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    public DockerSocketProxy(string engineSocket = "/var/run/docker.sock")
    {
        _directory = new TempDirectory("sock");
        SocketPath = _directory.Combine("docker.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await engine.ConnectAsync(new UnixDomainSocketEndPoint(engineSocket));
                lock (_open)
                {
                    _open.AddRange([client, engine]);
                }

                _ = PumpAsync(client, engine, null);
                _ = PumpAsync(engine, client, Heard);
            }
        });
    }

    public string SocketPath { get; }

    public string DockerHost => "unix://" + SocketPath;

    /// <summary>
    /// Completes once the engine has sent <paramref name="text"/> to a client (say, the classic builder's
    /// <c>Running in</c>, when a RUN step's container has started): what a test waits for instead of a delay.
    /// </summary>
    public Task WaitForEngineToSayAsync(string text, CancellationToken cancellationToken = default)
    {
        lock (_engineSaid)
        {
            if (_engineSaid.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            return seen.Task.WaitAsync(cancellationToken);
        }
    }

    private void Heard(ReadOnlySpan<byte> bytes)
    {
        lock (_engineSaid)
        {
            _engineSaid.Append(System.Text.Encoding.UTF8.GetString(bytes));
            var said = _engineSaid.ToString();
            foreach (var waiter in _waiters.Where(waiter => said.Contains(waiter.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Cuts every connection and stops accepting new ones: the engine is "stopped".</summary>
    public async Task CutAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Close();
            }
        }
    }

    private delegate void Listener(ReadOnlySpan<byte> bytes);

    private static async Task PumpAsync(Socket from, Socket to, Listener? listener)
    {
        var buffer = new byte[81920];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                listener?.Invoke(buffer.AsSpan(0, read));
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Cut.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CutAsync();
        await _loop;
        _stop.Dispose();
        _directory.Dispose();
    }
}
