using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Values;

namespace TagForge.Registry.Auth;

/// <summary>
/// The auth file <c>tagforge login</c> writes and every command reads: docker's <c>config.json</c>
/// (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>), which podman and buildah read too, or the
/// containers auth file <c>REGISTRY_AUTH_FILE</c> / <c>--authfile</c> names. Entries are merged in (the rest of the
/// file is kept as it was), written atomically, owner-only (0600), and hold <c>auth</c>: base64 of <c>user:password</c>.
/// </summary>
public static class DockerAuthFile
{
    /// <summary>The containers (podman, buildah, skopeo) variable naming the auth file.</summary>
    public const string AuthFileVariable = "REGISTRY_AUTH_FILE";

    /// <summary>Docker Hub's key in the file, as docker login writes it.</summary>
    private const string DockerHubKey = "https://index.docker.io/v1/";

    /// <summary>
    /// The file to log in to: <paramref name="explicitPath"/> (<c>--authfile</c>), else <c>REGISTRY_AUTH_FILE</c>, else
    /// docker's config; null when no home is known either.
    /// </summary>
    public static string? PathFor(IEnvironmentVariables environment, string? explicitPath = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return explicitPath ?? environment.Read(AuthFileVariable) ?? new DockerConfigCredentialSource(environment).ConfigPath;
    }

    /// <summary>The key <paramref name="registry"/> is stored under: the host as references name it, Docker Hub as docker names it.</summary>
    public static string KeyFor(string registry)
    {
        var normalized = RegistryHost.Normalize(registry);
        return normalized == ImageReference.DockerHub ? DockerHubKey : normalized;
    }

    /// <summary>
    /// Stores <paramref name="credential"/> for <paramref name="registry"/> in <paramref name="path"/>, replacing any
    /// entry for the same registry (however spelled) and keeping everything else. Returns what else in the file decides
    /// docker's credentials for the registry (a <c>credsStore</c> or <c>credHelpers</c> entry), to warn about.
    /// </summary>
    /// <exception cref="BadInputException">The file is not a JSON object, or cannot be written.</exception>
    public static string? Store(string path, string registry, RegistryCredential credential)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(credential);
        var root = Read(path) ?? new JsonObject();
        var auths = root["auths"] as JsonObject;
        if (auths is null)
        {
            auths = new JsonObject();
            root["auths"] = auths;
        }

        RemoveEntries(auths, registry);
        var secret = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}"));
        auths[KeyFor(registry)] = new JsonObject { ["auth"] = secret };
        Write(path, root);
        return Shadowing(root, registry);
    }

    /// <summary>Removes every entry for <paramref name="registry"/>; false when there was none (the file is then untouched).</summary>
    public static bool Remove(string path, string registry)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Read(path) is not { } root || root["auths"] is not JsonObject auths || !RemoveEntries(auths, registry))
        {
            return false;
        }

        Write(path, root);
        return true;
    }

    /// <summary>What in <paramref name="root"/> makes docker look elsewhere than <c>auths</c> for <paramref name="registry"/>, said for a person.</summary>
    private static string? Shadowing(JsonObject root, string registry)
    {
        var wanted = RegistryHost.Normalize(registry);
        if (root["credHelpers"] is JsonObject helpers && helpers.FirstOrDefault(pair => RegistryHost.Normalize(pair.Key) == wanted) is { Key: not null } helper)
        {
            return $"credHelpers names docker-credential-{helper.Value} for {registry}: docker asks that helper first";
        }

        return root["credsStore"] is JsonValue store && store.TryGetValue<string>(out var name) && name.Length > 0
            ? $"credsStore names docker-credential-{name}: docker asks that helper first"
            : null;
    }

    private static bool RemoveEntries(JsonObject auths, string registry)
    {
        var wanted = RegistryHost.Normalize(registry);
        var keys = auths.Select(pair => pair.Key).Where(key => RegistryHost.Normalize(key) == wanted).ToList();
        foreach (var key in keys)
        {
            auths.Remove(key);
        }

        return keys.Count > 0;
    }

    private static JsonObject? Read(string path)
    {
        string text;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the auth file {path}: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new BadInputException($"the auth file {path} is not a JSON object; fix or remove it");
        }
        catch (JsonException ex)
        {
            throw new BadInputException($"the auth file {path} is not valid JSON ({ex.Message}); fix or remove it", ex);
        }
    }

    private static void Write(string path, JsonObject root)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            root.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            if (!Directory.Exists(directory))
            {
                // Owner-only, as docker makes ~/.docker.
                _ = OperatingSystem.IsWindows()
                    ? Directory.CreateDirectory(directory)
                    : Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            if (!OperatingSystem.IsWindows())
            {
                // The atomic write keeps the file's mode and writes the new content owner-only until then: make that
                // mode 0600 first, so the secret is never readable by others, not even for a moment.
                const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                if (File.Exists(path))
                {
                    File.SetUnixFileMode(path, OwnerOnly);
                }
                else
                {
                    using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot write the auth file {path}: {ex.Message}", ex);
        }

        AtomicFile.WriteAllBytes(path, buffer.ToArray());
    }
}
