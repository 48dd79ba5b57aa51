using System.Diagnostics;

namespace TagForge.Testing;

/// <summary>
/// python3's <c>http.server</c> serving a folder on 127.0.0.1: an ordinary web server on a port, the thing a wrong
/// registry port most often reaches. Needs: python3.
/// </summary>
public sealed class PythonWebServer : IAsyncDisposable
{
    private readonly Process _process;

    private PythonWebServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PythonWebServer> StartAsync(string directory, int port)
    {
        var startInfo = new ProcessStartInfo("python3", ["-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--directory", directory])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start python3 -m http.server");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new PythonWebServer(process, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline && !process.HasExited;)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
                return server;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"python3 -m http.server did not answer on 127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
