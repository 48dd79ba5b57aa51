using System.Text;
using CliWrap;
using CliWrap.Buffered;
using TagForge.Errors;

namespace TagForge.Ecr;

/// <summary>
/// Logs the Docker CLI in to ECR the safe way: <c>docker login --username AWS --password-stdin SERVER</c>, the
/// password written to the process's standard input, never on its command line (where <c>ps</c> and CI logs see it,
/// as with <c>$(aws ecr get-login)</c>).
/// </summary>
public static class EcrDockerLogin
{
    /// <summary>
    /// Runs <c>docker login</c> for <paramref name="login"/>. <paramref name="server"/> defaults to the login's proxy
    /// endpoint host; <paramref name="dockerConfig"/>, when given, is passed as <c>DOCKER_CONFIG</c> so the credentials
    /// land in that folder rather than the user's <c>~/.docker</c>.
    /// </summary>
    public static async Task LoginAsync(string docker, EcrRegistryLogin login, string? server = null, string? dockerConfig = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        var target = server ?? login.ServerAddress;
        var command = Cli.Wrap(docker)
            .WithArguments(["login", "--username", login.Username, "--password-stdin", target])
            .WithStandardInputPipe(PipeSource.FromString(login.Password, Encoding.UTF8))
            .WithValidation(CommandResultValidation.None);
        if (dockerConfig is not null)
        {
            command = command.WithEnvironmentVariables(new Dictionary<string, string?> { ["DOCKER_CONFIG"] = dockerConfig });
        }

        BufferedCommandResult result;
        try
        {
            result = await command.ExecuteBufferedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ExternalFailureException($"could not run '{docker}' for docker login: {ex.Message} (pass --docker PATH)", ex);
        }

        if (result.ExitCode != 0)
        {
            var detail = Redact(OneLine(result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput), login.Password);
            throw new ExternalFailureException($"docker login to {target} failed (exit {result.ExitCode}): {detail}");
        }
    }

    /// <summary>Replaces the password wherever it appears (a tool that echoes input must not leak it into a log).</summary>
    internal static string Redact(string text, string secret) => secret.Length == 0 ? text : text.Replace(secret, "***", StringComparison.Ordinal);

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>
/// A throw-away Docker configuration folder logged in to ECR, for a <c>docker push</c> that must authenticate
/// without touching (or depending on) the user's <c>~/.docker</c>: run docker with <c>DOCKER_CONFIG=</c><see cref="Path"/>.
/// Deleted on dispose.
/// </summary>
public sealed class TemporaryDockerConfig : IDisposable
{
    private TemporaryDockerConfig(string path) => Path = path;

    /// <summary>The folder to pass as <c>DOCKER_CONFIG</c>.</summary>
    public string Path { get; }

    /// <summary>Creates the folder (mode 0700) and logs <paramref name="docker"/> in to ECR there.</summary>
    public static async Task<TemporaryDockerConfig> CreateAsync(string docker, EcrRegistryLogin login, string? server = null, CancellationToken cancellationToken = default)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tagforge-docker-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var config = new TemporaryDockerConfig(path);
        try
        {
            await EcrDockerLogin.LoginAsync(docker, login, server, path, cancellationToken).ConfigureAwait(false);
            return config;
        }
        catch
        {
            config.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
