using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Values;

namespace TagForge.Registry.Auth;

/// <summary>
/// Credentials the way the docker CLI keeps them, in <c>$DOCKER_CONFIG/config.json</c> (default
/// <c>~/.docker/config.json</c>): a <c>credHelpers</c> entry for the registry, else the <c>credsStore</c>, else the
/// <c>auths</c> entry (base64 <c>user:password</c> or an <c>identitytoken</c>). Helpers run as
/// <c>docker-credential-NAME get</c> with the registry on stdin and answer JSON on stdout: the secret never touches a
/// command line.
/// </summary>
public sealed class DockerConfigCredentialSource : IRegistryCredentialSource
{
    private readonly IEnvironmentVariables _environment;
    private readonly ILogger _logger;
    private readonly string? _path;

    /// <summary>
    /// Reads the config that <paramref name="environment"/>'s <c>DOCKER_CONFIG</c> / <c>HOME</c> point at, or the file
    /// <paramref name="path"/> names (an auth file of the same shape: <c>REGISTRY_AUTH_FILE</c>).
    /// </summary>
    public DockerConfigCredentialSource(IEnvironmentVariables environment, ILogger? logger = null, string? path = null)
    {
        _environment = environment;
        _logger = logger ?? NullLogger.Instance;
        _path = path;
    }

    /// <summary>The config file this source reads.</summary>
    public string? ConfigPath =>
        _path ?? (_environment.Read("DOCKER_CONFIG") is { } directory ? Path.Combine(directory, "config.json")
        : _environment.Read("HOME") is { } home ? Path.Combine(home, ".docker", "config.json")
        : null);

    /// <inheritdoc />
    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default)
    {
        var path = ConfigPath;
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        DockerConfigFile? config;
        try
        {
            config = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), RegistryJsonContext.Default.DockerConfigFile);
        }
        catch (JsonException ex)
        {
            throw new BadInputException($"the docker config {path} is not valid JSON ({ex.Message}); fix it or set DOCKER_CONFIG", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the docker config {path}: {ex.Message}", ex);
        }

        if (config is null)
        {
            return null;
        }

        var wanted = RegistryHost.Normalize(registry);
        if (config.CredHelpers?.FirstOrDefault(pair => RegistryHost.Normalize(pair.Key) == wanted) is { Key: not null } helper)
        {
            return await RunHelperAsync(helper.Value, helper.Key, cancellationToken).ConfigureAwait(false);
        }

        var auth = config.Auths?.FirstOrDefault(pair => RegistryHost.Normalize(pair.Key) == wanted);
        if (!string.IsNullOrEmpty(config.CredsStore))
        {
            // docker login stores Hub credentials under its v1 address; other registries under the host as typed.
            var key = auth is { Key: not null } ? auth.Value.Key : wanted == ImageReference.DockerHub ? "https://index.docker.io/v1/" : registry;
            if (await RunHelperAsync(config.CredsStore, key, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return stored;
            }
        }

        return auth is { Value: { } entry } ? FromAuthEntry(entry, path, registry) : null;
    }

    private static RegistryCredential? FromAuthEntry(DockerConfigAuth entry, string path, string registry)
    {
        if (!string.IsNullOrEmpty(entry.IdentityToken))
        {
            return new RegistryCredential(entry.Username, null, entry.IdentityToken);
        }

        if (!string.IsNullOrEmpty(entry.Auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
            }
            catch (FormatException ex)
            {
                throw new BadInputException($"the docker config {path} has an 'auth' for {registry} that is not base64; run docker login {registry} again", ex);
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0
                ? new RegistryCredential(decoded[..colon], decoded[(colon + 1)..])
                : throw new BadInputException($"the docker config {path} has an 'auth' for {registry} that is not user:password; run docker login {registry} again");
        }

        return !string.IsNullOrEmpty(entry.Username) && !string.IsNullOrEmpty(entry.Password)
            ? new RegistryCredential(entry.Username, entry.Password)
            : null;
    }

    private async Task<RegistryCredential?> RunHelperAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        var executable = "docker-credential-" + helper;
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(executable)
                .WithArguments(["get"])
                .WithStandardInputPipe(PipeSource.FromString(serverUrl))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ExternalFailureException($"the docker config names the credential helper '{helper}' but {executable} is not on PATH; install it or edit {ConfigPath}", ex);
        }

        if (result.ExitCode != 0)
        {
            // "credentials not found in native keychain" is the helpers' way of saying "none".
            _logger.LogDebug("{Helper} has no credentials for {Registry}: {Message}", executable, serverUrl, result.StandardOutput.Trim() + result.StandardError.Trim());
            return null;
        }

        HelperOutput? output;
        try
        {
            output = JsonSerializer.Deserialize(result.StandardOutput, RegistryJsonContext.Default.HelperOutput);
        }
        catch (JsonException ex)
        {
            throw new ExternalFailureException($"{executable} get answered something that is not JSON for {serverUrl}", ex);
        }

        if (output is null || string.IsNullOrEmpty(output.Secret))
        {
            return null;
        }

        // Helpers return identity tokens with the user name "<token>".
        return output.Username == "<token>"
            ? new RegistryCredential(null, null, output.Secret)
            : new RegistryCredential(output.Username, output.Secret);
    }
}
