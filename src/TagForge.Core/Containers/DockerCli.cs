using System.ComponentModel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Containers;

/// <summary>
/// The docker CLI, by intent: build, push, tag, remove, inspect, log in. Arguments are always arrays (no shell);
/// results come from files and <c>--format</c> (<c>--iidfile</c>, <c>image inspect</c>), never from scraping
/// progress output; secrets go through stdin (<c>login --password-stdin</c>), never argv. A missing executable or
/// an unreachable engine becomes one actionable line.
/// </summary>
public sealed class DockerCli
{
    private readonly DockerCliOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the wrapper.</summary>
    public DockerCli(DockerCliOptions? options = null, ILogger? logger = null)
    {
        _options = options ?? new DockerCliOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The executable run.</summary>
    public string Executable => _options.Executable ?? "docker";

    /// <summary>Builds an image and returns its id (from <c>--iidfile</c>).</summary>
    /// <exception cref="BadInputException">The context or the Dockerfile does not exist.</exception>
    /// <exception cref="DockerCommandException">The build failed; the message says why in one line.</exception>
    public async Task<string> BuildAsync(DockerBuildRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.ThrowIfInputsMissing();

        var scratch = Directory.CreateTempSubdirectory("tagforge-build-").FullName;
        try
        {
            var build = DockerArguments.Build(request, scratch);
            if (build.LabelledDockerfile is { } copy)
            {
                await WriteLabelledCopyAsync(request.DockerfilePath, copy, build.LabelInstruction!, cancellationToken).ConfigureAwait(false);
            }

            // SOURCE_DATE_EPOCH goes in the environment (BuildKit reads it there), never on argv: the command stays the plan's.
            var environment = request.SourceDateEpoch is { } epoch
                ? new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : null;
            try
            {
                await Process().RunStreamingAsync("build", build.Arguments, cancellationToken, environment).ConfigureAwait(false);
            }
            catch (DockerCommandException ex) when (LostCachedImage(ex.Message))
            {
                // The classic builder took a cached image that a docker rmi elsewhere removed before the step used it
                // (seen on a daemon that runs builds side by side): once more, the cache no longer offers it.
                _logger.LogWarning("docker build: a cached image was removed meanwhile ({Error}); building once more", ex.Message);
                await Process().RunStreamingAsync("build", build.Arguments, cancellationToken, environment).ConfigureAwait(false);
            }

            var id = File.Exists(build.IidFile) ? (await File.ReadAllTextAsync(build.IidFile, cancellationToken).ConfigureAwait(false)).Trim() : "";
            return id.Length > 0
                ? id
                : throw new DockerCommandException($"{Executable} build succeeded but wrote no image id to --iidfile", 0, []);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Whether a build failed because the classic builder's cache named an image that was gone by the time the step used
    /// it (<c>unable to find image "sha256:…"</c>): a race with a removal, not a problem of the build.
    /// </summary>
    internal static bool LostCachedImage(string error) =>
        error.Contains("unable to find image \"sha256:", StringComparison.Ordinal);

    /// <summary>The Dockerfile with the label line appended; a Dockerfile-specific <c>.dockerignore</c> is kept beside it.</summary>
    internal static async Task WriteLabelledCopyAsync(string original, string copy, string labelInstruction, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(original, cancellationToken).ConfigureAwait(false);
        var separator = text.Length > 0 && text[^1] != '\n' ? "\n" : "";
        await File.WriteAllTextAsync(copy, text + separator + labelInstruction + "\n", cancellationToken).ConfigureAwait(false);
        if (File.Exists(original + ".dockerignore"))
        {
            File.Copy(original + ".dockerignore", copy + ".dockerignore");
        }
    }

    /// <summary>Pushes <paramref name="image"/> (<c>repository:tag</c>).</summary>
    public Task PushAsync(string image, string? configDirectory = null, CancellationToken cancellationToken = default) =>
        RunStreamingAsync("push", DockerArguments.Push(image, configDirectory), cancellationToken, ImageReference.TryParse(image, out var reference) ? reference.Registry : null);

    /// <summary>Adds the name <paramref name="target"/> to <paramref name="source"/>.</summary>
    public Task TagAsync(string source, string target, CancellationToken cancellationToken = default) =>
        RunQuietAsync("tag", DockerArguments.Tag(source, target), cancellationToken);

    /// <summary>Removes local names (<c>docker rmi</c>); the image goes when its last name does.</summary>
    public Task RemoveImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken = default) =>
        RunQuietAsync("rmi", DockerArguments.Remove(images), cancellationToken);

    /// <summary>The <c>RepoDigests</c> of a local image (<c>repository@sha256:…</c>, one per repository it was pushed to or pulled from).</summary>
    public async Task<IReadOnlyList<string>> GetRepoDigestsAsync(string image, CancellationToken cancellationToken = default)
    {
        var output = await RunQuietAsync("image inspect", ["image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", image], cancellationToken).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The digests <paramref name="image"/> has in <paramref name="repository"/>'s registry, from its RepoDigests.</summary>
    public async Task<IReadOnlyList<Digest>> GetDigestsInAsync(string image, ImageReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var result = new List<Digest>();
        foreach (var entry in await GetRepoDigestsAsync(image, cancellationToken).ConfigureAwait(false))
        {
            if (ImageReference.TryParse(entry, out var parsed) && parsed.Digest is { } digest && parsed.IsSameRepository(repository))
            {
                result.Add(digest);
            }
        }

        return result;
    }

    /// <summary>
    /// Logs in to <paramref name="registry"/> with the password on stdin (never argv). With <paramref name="configDirectory"/>
    /// it writes only there (a throwaway <c>--config</c>, so the user's own docker config is never changed); without,
    /// to docker's own config, as <c>tagforge ecr login</c> means to.
    /// </summary>
    public async Task LoginAsync(string registry, RegistryCredential credential, string? configDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (!credential.HasPassword)
        {
            throw new BadInputException($"logging docker in to {registry} needs a user name and a password");
        }

        await RunQuietAsync("login", DockerArguments.Login(registry, credential.Username!, configDirectory), cancellationToken, credential.Password)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Where the engine is when it is not the local socket, for <c>doctor</c> and the release summary: the context
    /// (<c>--context</c> / <c>DOCKER_CONTEXT</c>) or <c>DOCKER_HOST</c> (tcp, ssh, unix); null for docker's default.
    /// </summary>
    public static string? EngineLocation(string? context, string? host) =>
        context is { Length: > 0 } ? $"docker context {context}"
        : host is { Length: > 0 } ? $"{(host.StartsWith("unix://", StringComparison.Ordinal) ? "engine" : "remote engine")} {host} (DOCKER_HOST)"
        : null;

    /// <summary><see cref="EngineLocation"/> from <paramref name="environment"/>, as a suffix (<c>", remote engine …"</c>) or empty.</summary>
    public static string DescribeEngine(IO.IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return EngineLocation(environment.Read("DOCKER_CONTEXT"), environment.Read("DOCKER_HOST")) is { } where ? $", {where}" : "";
    }

    /// <summary>The local image's id (<c>sha256:…</c>, its config digest).</summary>
    public async Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default) =>
        (await RunQuietAsync("image inspect", ["image", "inspect", "--format", "{{.Id}}", image], cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>The platform the local image's config names: <c>os/arch</c>, or <c>os/arch/variant</c>.</summary>
    public async Task<string> GetPlatformAsync(string image, CancellationToken cancellationToken = default) =>
        (await RunQuietAsync("image inspect", ["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}}", image], cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>The engine's version; fails with "cannot reach the Docker engine" when it does not answer.</summary>
    public async Task<string> GetServerVersionAsync(CancellationToken cancellationToken = default) =>
        (await RunQuietAsync("version", ["version", "--format", "{{.Server.Version}}"], cancellationToken).ConfigureAwait(false)).Trim();

    private ToolProcess Process(string? registry = null) =>
        new(Executable, new ToolOptions { Environment = _options.Environment, Output = _options.Output, TailLines = _options.TailLines }, _logger,
            (verb, exitCode, tail) => Failure(verb, exitCode, tail, registry), ex => MissingExecutable((System.ComponentModel.Win32Exception)ex));

    private async Task RunStreamingAsync(string verb, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? registry = null) =>
        await Process(registry).RunStreamingAsync(verb, arguments, cancellationToken).ConfigureAwait(false);

    private Task<string> RunQuietAsync(string verb, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? standardInput = null) =>
        Process().RunQuietAsync(verb, arguments, cancellationToken, standardInput);

    private static bool NamesRegistry(string line, string? registry) =>
        (registry is not null && line.Contains(registry, StringComparison.OrdinalIgnoreCase)) || line.Contains("/v2/", StringComparison.Ordinal);

    private DockerCommandException MissingExecutable(Win32Exception ex) =>
        new($"cannot reach the Docker engine: cannot run the docker CLI '{Executable}' ({(ex.InnerException ?? ex).Message}); install docker or pass --docker PATH (TAGFORGE_DOCKER)", -1, [], ex);

    /// <summary>
    /// What failed, from docker's own lines: the engine (cannot connect), the CLI (no buildx), the registry (a line
    /// naming <paramref name="registry"/> or its API, e.g. a reset during a blob upload), else docker's last error line.
    /// </summary>
    internal DockerCommandException Failure(string verb, int exitCode, IReadOnlyList<string> tail, string? registry = null)
    {
        var meaningful = tail.Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        if (meaningful.FirstOrDefault(line => line.Contains("Cannot connect to the Docker daemon", StringComparison.OrdinalIgnoreCase)
                || line.Contains("error during connect", StringComparison.OrdinalIgnoreCase)
                || line.Contains("Is the docker daemon running", StringComparison.OrdinalIgnoreCase)) is { } engine)
        {
            var said = engine.Replace("Is the docker daemon running?", "", StringComparison.OrdinalIgnoreCase).Trim().TrimEnd('.');
            return new DockerCommandException($"cannot reach the Docker engine: {said}; is dockerd running (and DOCKER_HOST right)?", exitCode, tail);
        }

        if (meaningful.Any(line => line.Contains("BuildKit is enabled but the buildx component is missing", StringComparison.OrdinalIgnoreCase)))
        {
            return new DockerCommandException(
                $"'{Executable}' has DOCKER_BUILDKIT=1 but no buildx component: install buildx, unset DOCKER_BUILDKIT for the classic builder, or pass --docker with a CLI that builds with BuildKit itself (such as a 20.10 client)",
                exitCode, tail);
        }

        var reason = meaningful.LastOrDefault(line => line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("failed", StringComparison.OrdinalIgnoreCase))
            ?? meaningful.LastOrDefault() ?? "no output";
        if (reason.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase) || reason.Contains("connection reset by peer", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("broken pipe", StringComparison.OrdinalIgnoreCase))
        {
            // A line naming the registry (its host or its /v2/ API) is the registry's connection, which the engine
            // reports faithfully; only a bare EOF, with no registry named, is the engine itself going away.
            reason += NamesRegistry(reason, registry)
                ? $": the registry {registry ?? "named above"} closed the connection during the {verb}; check the registry, a proxy in between, and the network"
                : ": the Docker engine stopped answering; is dockerd still running?";
        }

        return new DockerCommandException($"{Executable} {verb} failed (exit code {exitCode}): {reason}", exitCode, tail);
    }
}
