using TagForge.Engine;
using System.Net;
using System.Net.Sockets;
using TagForge.Containers;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// docker through <c>DOCKER_HOST=tcp://…</c>: a TCP listener that forwards every connection to the engine's socket is,
/// for the docker CLI, a remote engine (the API over TCP). The registry checks still run from TagForge's side. Needs:
/// the Docker engine on /var/run/docker.sock, docker-registry, git.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class RemoteEngineTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ReleaseRequest Request(TestRepository repository, string image, string dockerHost) => new()
    {
        Image = image,
        ContextPath = repository.Path,
        Tag = new TagRequest { Template = "{sha:8}", RepositoryPath = repository.Path },
        Builder = BuilderKind.Docker,
        RemoveLocal = true,
        NoRecord = true,
        DockerEnvironment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = null, ["DOCKER_HOST"] = dockerHost, ["DOCKER_CONTEXT"] = null },
    };

    [Fact]
    public async Task Releases_reruns_and_names_the_remote_engine_through_DOCKER_HOST_tcp()
    {
        using var forward = TcpToUnix.Start("/var/run/docker.sock");
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var image = $"{registry.Host}/team/remote";
        using var services = new TagForgeServices(workingDirectory: repository.Path);
        using var client = new RegistryClient();

        var first = await ReleaseEngine.ReleaseOneAsync(Request(repository, image, forward.DockerHost), services, Token);
        var rerun = await ReleaseEngine.ReleaseOneAsync(Request(repository, image, forward.DockerHost), services, Token);

        Assert.True(first.Pushed);
        Assert.Equal((await client.HeadManifestAsync(ImageReference.Parse($"{image}:{first.Tag}"), Token))?.Digest.ToString(), first.Digest);
        Assert.False(rerun.Pushed);
        Assert.Equal($"docker on remote engine {forward.DockerHost} (DOCKER_HOST)", first.BuiltWith);
        Assert.True(forward.Connections > 0);
    }

    [Fact]
    public async Task An_unreachable_remote_engine_is_exit_1_naming_the_engine()
    {
        using var repository = await SampleApp.CreateAsync();
        using var services = new TagForgeServices(workingDirectory: repository.Path);

        var error = await Assert.ThrowsAsync<DockerCommandException>(() => ReleaseRunner.RunAsync(
            Request(repository, "127.0.0.1:1/team/app", $"tcp://127.0.0.1:{FreePort.Next()}") with { SkipPush = true }, services, Token));

        Assert.Contains("cannot reach the Docker engine", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Forwards TCP connections on a loopback port to a unix socket.</summary>
    private sealed class TcpToUnix : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly string _socket;
        private int _connections;

        private TcpToUnix(string socket) => _socket = socket;

        public string DockerHost => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public int Connections => Volatile.Read(ref _connections);

        public static TcpToUnix Start(string socket)
        {
            var proxy = new TcpToUnix(socket);
            proxy._listener.Start();
            _ = proxy.AcceptAsync();
            return proxy;
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _connections);
                    _ = ForwardAsync(client);
                }
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                // Stopped.
            }
        }

        private async Task ForwardAsync(TcpClient client)
        {
            using (client)
            using (var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                try
                {
                    await engine.ConnectAsync(new UnixDomainSocketEndPoint(_socket));
                    await using var engineStream = new NetworkStream(engine, ownsSocket: false);
                    var clientStream = client.GetStream();
                    var up = clientStream.CopyToAsync(engineStream).ContinueWith(_ => engine.Shutdown(SocketShutdown.Send), TaskScheduler.Default);
                    var down = engineStream.CopyToAsync(clientStream).ContinueWith(_ => client.Client.Shutdown(SocketShutdown.Send), TaskScheduler.Default);
                    await Task.WhenAll(up, down);
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
                {
                    // One connection ended badly; the next is independent.
                }
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
