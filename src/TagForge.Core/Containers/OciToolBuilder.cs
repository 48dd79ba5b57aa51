using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Values;

namespace TagForge.Containers;

/// <summary>
/// Podman or Buildah as a builder, daemonless: <c>build --iidfile</c> (buildah: <c>bud</c>), <c>push --digestfile</c>,
/// credentials in an <c>--authfile</c> written to a private temporary file (0600, deleted after the push), the storage
/// driver settable (<c>vfs</c> works in containers without overlay). The digest each push wrote is what
/// <see cref="GetDigestsInAsync"/> reports, so the release compares it with the registry's.
/// </summary>
public sealed class OciToolBuilder : IImageBuilder
{
    /// <summary>What stands for the private auth file in a plan.</summary>
    public const string AuthFilePlaceholder = "<temp-authfile>";

    private readonly string? _storageDriver;
    private readonly ToolProcess _process;
    private readonly Dictionary<string, Digest> _pushed = new(StringComparer.Ordinal);

    /// <summary>Creates the builder for <paramref name="kind"/> (podman or buildah).</summary>
    public OciToolBuilder(BuilderKind kind, string? executable = null, string? storageDriver = null, ToolOptions? options = null, ILogger? logger = null)
    {
        if (kind is not (BuilderKind.Podman or BuilderKind.Buildah))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "podman or buildah");
        }

        Kind = kind;
        _storageDriver = storageDriver;
        _process = new ToolProcess(executable ?? Builders.Name(kind), options ?? new ToolOptions(), logger ?? NullLogger.Instance, Failure, Missing);
    }

    /// <inheritdoc />
    public BuilderKind Kind { get; }

    /// <inheritdoc />
    public string Executable => _process.Executable;

    private string Name => Builders.Name(Kind);

    /// <inheritdoc />
    public async Task<string> BuildAsync(DockerBuildRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.ThrowIfInputsMissing();

        var scratch = Directory.CreateTempSubdirectory("tagforge-build-").FullName;
        try
        {
            var build = OciToolArguments.Build(Kind, _storageDriver, request, scratch);
            if (build.LabelledDockerfile is { } copy)
            {
                await DockerCli.WriteLabelledCopyAsync(request.DockerfilePath, copy, build.LabelInstruction!, cancellationToken).ConfigureAwait(false);
            }

            var (arguments, iidFile) = (build.Arguments, build.IidFile);
            var environment = request.SourceDateEpoch is { } epoch
                ? new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : null;
            await _process.RunStreamingAsync("build", arguments, cancellationToken, environment).ConfigureAwait(false);
            var id = File.Exists(iidFile) ? (await File.ReadAllTextAsync(iidFile, cancellationToken).ConfigureAwait(false)).Trim() : "";
            return id.Length > 0 ? WithAlgorithm(id) : throw new ContainerToolException($"{Executable} build succeeded but wrote no image id to --iidfile", 0, []);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <inheritdoc />
    public async Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default)
    {
        var output = await _process.RunQuietAsync("images", OciToolArguments.ImageId(_storageDriver, image), cancellationToken).ConfigureAwait(false);
        var id = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return id is null
            ? throw new ContainerToolException($"{Name} has no local image {image}{(_storageDriver is null ? "" : $" in its {_storageDriver} storage")}; build it first", 1, [])
            : WithAlgorithm(id);
    }

    /// <inheritdoc />
    public Task TagAsync(string source, string target, CancellationToken cancellationToken = default) =>
        _process.RunQuietAsync("tag", OciToolArguments.Tag(_storageDriver, source, target), cancellationToken);

    /// <inheritdoc />
    public Task RemoveImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken = default) =>
        _process.RunQuietAsync("rmi", OciToolArguments.Remove(_storageDriver, images), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Digest>> GetDigestsInAsync(string image, ImageReference repository, CancellationToken cancellationToken = default)
    {
        lock (_pushed)
        {
            return Task.FromResult<IReadOnlyList<Digest>>(_pushed.TryGetValue(image, out var digest) ? [digest] : []);
        }
    }

    /// <inheritdoc />
    public async Task PushAsync(IReadOnlyList<string> images, PushTarget target, Action<string>? starting = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(target);
        var scratch = Directory.CreateTempSubdirectory("tagforge-push-").FullName;
        try
        {
            string? authFile = null;
            string[] secrets = [];
            if (target.Credential is { HasPassword: true } credential)
            {
                authFile = Path.Combine(scratch, "auth.json");
                await WriteAuthFileAsync(authFile, target.Registry, credential, cancellationToken).ConfigureAwait(false);
                secrets = [credential.Password!, Basic(credential)];
            }

            foreach (var image in images)
            {
                starting?.Invoke(image);
                var digestFile = Path.Combine(scratch, "digest");
                File.Delete(digestFile);
                await _process.RunStreamingAsync("push", OciToolArguments.Push(_storageDriver, image, digestFile, authFile, target.PlainHttp), cancellationToken, secrets: secrets)
                    .ConfigureAwait(false);
                var text = File.Exists(digestFile) ? (await File.ReadAllTextAsync(digestFile, cancellationToken).ConfigureAwait(false)).Trim() : "";
                if (!Digest.TryParse(text, out var digest))
                {
                    throw new ContainerToolException($"{Executable} pushed {image} but wrote no digest to --digestfile", 0, []);
                }

                lock (_pushed)
                {
                    _pushed[image] = digest;
                }
            }
        }
        finally
        {
            // The auth file goes with its folder (0700, made by CreateTempSubdirectory).
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <inheritdoc />
    public async Task<string> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var version = (await _process.RunQuietAsync("--version", [.. OciToolArguments.Global(_storageDriver), "--version"], cancellationToken).ConfigureAwait(false)).Trim();
        return $"{version} through {Executable}{(_storageDriver is null ? "" : $", storage driver {_storageDriver}")}";
    }

    /// <inheritdoc />
    public BuilderPlan Plan(DockerBuildRequest? build, IReadOnlyList<string> images, string imageIdPlaceholder, PushTarget? push, bool removeLocal, string scratch)
    {
        ArgumentNullException.ThrowIfNull(images);
        List<IReadOnlyList<string>> commands = [];
        string? labelInstruction = null;
        if (build is not null)
        {
            var rendered = OciToolArguments.Build(Kind, _storageDriver, build, scratch);
            commands.Add([Executable, .. rendered.Arguments]);
            labelInstruction = rendered.LabelInstruction;
        }

        foreach (var extra in images.Skip(1))
        {
            commands.Add([Executable, .. OciToolArguments.Tag(_storageDriver, imageIdPlaceholder, extra)]);
        }

        if (push is not null)
        {
            var authFile = push.Credential is { HasPassword: true } ? AuthFilePlaceholder : null;
            foreach (var image in images)
            {
                commands.Add([Executable, .. OciToolArguments.Push(_storageDriver, image, Path.Combine(scratch, "digest"), authFile, push.PlainHttp)]);
            }
        }

        if (removeLocal)
        {
            commands.Add([Executable, .. OciToolArguments.Remove(_storageDriver, images)]);
        }

        return new BuilderPlan(commands, labelInstruction);
    }

    private static string WithAlgorithm(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id : "sha256:" + id;

    private static string Basic(RegistryCredential credential) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}"));

    /// <summary>containers-auth.json with one entry, created 0600 (never readable by others, not even for a moment).</summary>
    private static async Task WriteAuthFileAsync(string path, string registry, RegistryCredential credential, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await using var writer = new Utf8JsonWriter(stream);
            writer.WriteStartObject();
            writer.WriteStartObject("auths");
            writer.WriteStartObject(registry);
            writer.WriteString("auth", Basic(credential));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private ContainerToolException Missing(Exception ex) =>
        new ContainerToolException($"cannot run {Name} ('{Executable}': {(ex.InnerException ?? ex).Message}); {Builders.InstallHint(Kind)}, or choose another --builder", -1, [], ex);

    /// <summary>What failed, from the tool's own lines: its storage, the registry's credentials or connection, else its last error line.</summary>
    private ContainerToolException Failure(string verb, int exitCode, IReadOnlyList<string> tail)
    {
        var meaningful = tail.Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        var reason = meaningful.LastOrDefault(line => line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("failed", StringComparison.OrdinalIgnoreCase))
            ?? meaningful.LastOrDefault() ?? "no output";
        if (meaningful.FirstOrDefault(IsStorageProblem) is { } storage)
        {
            return new ContainerToolException(
                $"{Name}'s storage is unusable: {storage}; choose a driver that works here (--storage-driver vfs, TAGFORGE_STORAGE_DRIVER=vfs) or fix the storage configuration",
                exitCode, tail);
        }

        if (verb == "push" && meaningful.FirstOrDefault(line => line.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
                || line.Contains("authentication required", StringComparison.OrdinalIgnoreCase)
                || line.Contains("denied", StringComparison.OrdinalIgnoreCase)) is { } denied)
        {
            return new ContainerToolException($"{Executable} push failed (exit code {exitCode}): the registry refused the credentials: {denied}", exitCode, tail);
        }

        return new ContainerToolException($"{Executable} {verb} failed (exit code {exitCode}): {reason}", exitCode, tail);
    }

    private static bool IsStorageProblem(string line) =>
        (line.Contains("storage", StringComparison.OrdinalIgnoreCase) || line.Contains("graph driver", StringComparison.OrdinalIgnoreCase) || line.Contains("overlay", StringComparison.OrdinalIgnoreCase))
        && (line.Contains("driver", StringComparison.OrdinalIgnoreCase) || line.Contains("mount", StringComparison.OrdinalIgnoreCase)
            || line.Contains("permission denied", StringComparison.OrdinalIgnoreCase) || line.Contains("read-only", StringComparison.OrdinalIgnoreCase)
            || line.Contains("database", StringComparison.OrdinalIgnoreCase));
}
