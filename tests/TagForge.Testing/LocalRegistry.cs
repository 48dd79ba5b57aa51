using System.Diagnostics;

namespace TagForge.Testing;

/// <summary>
/// A real registry (Debian's <c>docker-registry</c>, the CNCF distribution registry) bound to 127.0.0.1 on a free
/// port, with its own storage folder. Needs: the docker-registry package (scripts/test.sh installs it).
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly string _config;
    private readonly System.Text.StringBuilder _errors = new();
    private readonly bool _tls;
    private Process _process;

    private LocalRegistry(TempDirectory directory, string config, int port, bool tls)
    {
        _directory = directory;
        _config = config;
        Port = port;
        _tls = tls;
        _process = Launch();
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of image references (docker treats loopback as insecure: plain http).</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>https for a registry started with TLS (<see cref="StartWithTlsAsync"/>), else http.</summary>
    public Uri BaseUri => new($"{(_tls ? "https" : "http")}://{Host}/");

    public string StoragePath => _directory.Combine("storage");

    /// <summary>Starts a registry without authentication.</summary>
    public static Task<LocalRegistry> StartAsync() => StartAsync(authYaml: null);

    /// <summary>Starts a registry with htpasswd Basic auth for <paramref name="user"/>.</summary>
    public static async Task<LocalRegistry> StartWithBasicAuthAsync(string user, string password)
    {
        var directory = new TempDirectory("htpasswd");
        var file = directory.Combine("htpasswd");
        await ProcessRunner.RunCheckedAsync("htpasswd", ["-Bbc", file, user, password]);
        return await StartAsync($"""
            auth:
              htpasswd:
                realm: tagforge-tests
                path: {file}
            """);
    }

    /// <summary>
    /// Starts a registry with an <c>auth:</c> section given as YAML (for token auth, say), at the top level of the config.
    /// </summary>
    public static Task<LocalRegistry> StartAsync(string? authYaml) => StartAsync(authYaml, deleteEnabled: true);

    /// <summary>Starts a registry serving TLS only (<c>http.tls</c>) with <paramref name="certificate"/>, on 127.0.0.1.</summary>
    public static Task<LocalRegistry> StartWithTlsAsync(SelfSignedCertificate certificate) =>
        StartAsync(authYaml: null, deleteEnabled: true, certificate);

    /// <summary>Starts a registry with htpasswd Basic auth for each of <paramref name="users"/> (user, password).</summary>
    public static async Task<LocalRegistry> StartWithUsersAsync(params (string User, string Password)[] users)
    {
        var directory = new TempDirectory("htpasswd");
        var file = directory.Combine("htpasswd");
        foreach (var (user, password) in users)
        {
            await ProcessRunner.RunCheckedAsync("htpasswd", [File.Exists(file) ? "-Bb" : "-Bbc", file, user, password]);
        }

        return await StartAsync($"""
            auth:
              htpasswd:
                realm: tagforge-tests
                path: {file}
            """);
    }

    /// <summary>Starts a registry without the delete API (DELETE answers 405 UNSUPPORTED), like many hosted registries by default.</summary>
    public static Task<LocalRegistry> StartWithoutDeleteAsync() => StartAsync(authYaml: null, deleteEnabled: false);

    private static async Task<LocalRegistry> StartAsync(string? authYaml, bool deleteEnabled, SelfSignedCertificate? tls = null)
    {
        var tlsYaml = tls is null ? "" : $"""

              tls:
                certificate: {tls.CertificatePath}
                key: {tls.KeyPath}
            """;
        var directory = new TempDirectory("registry");
        var port = FreePort.Next();
        var config = directory.Write("config.yml", $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {directory.Combine("storage")}
              delete:
                enabled: {(deleteEnabled ? "true" : "false")}
            http:
              addr: 127.0.0.1:{port}{tlsYaml}
            {authYaml ?? ""}
            """);

        var registry = new LocalRegistry(directory, config, port, tls is not null);
        await registry.WaitUntilAnsweringAsync();
        return registry;
    }

    /// <summary>Starts the stopped registry again on the same port and storage (a registry that comes back after an outage).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _process.Dispose();
        _process = Launch();
        await WaitUntilAnsweringAsync();
    }

    private Process Launch()
    {
        var startInfo = new ProcessStartInfo(Requirements.RegistryBinary, ["serve", _config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start docker-registry");
        process.ErrorDataReceived += (_, e) => { lock (_errors) { _errors.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (_errors) { _errors.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        // Only "does it answer": the certificate of a TLS registry is the test's to trust or not.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "v2/"));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
            catch (TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        await DisposeAsync();
        lock (_errors)
        {
            throw new InvalidOperationException($"docker-registry did not answer on {Host}: {_errors}");
        }
    }

    /// <summary>Stops the registry (a test of "registry down" calls this mid-test).</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        _directory.Dispose();
    }
}
