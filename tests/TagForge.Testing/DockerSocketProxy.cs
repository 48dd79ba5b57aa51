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

                _ = PumpAsync(client, engine);
                _ = PumpAsync(engine, client);
            }
        });
    }

    public string SocketPath { get; }

    public string DockerHost => "unix://" + SocketPath;

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

    private static async Task PumpAsync(Socket from, Socket to)
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
