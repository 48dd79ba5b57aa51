using TagForge.Config;
using TagForge.Containers;
using TagForge.Errors;
using TagForge.Git;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Diagnostics;

/// <summary>How a check came out.</summary>
public enum CheckStatus
{
    /// <summary>Works.</summary>
    Ok,

    /// <summary>Works, with a caveat worth knowing.</summary>
    Warning,

    /// <summary>Broken: a release would fail here.</summary>
    Failed,
}

/// <summary>One check of <c>tagforge doctor</c>.</summary>
/// <param name="Name">What was checked: git, config, docker, registry, credentials.</param>
/// <param name="Status">How it came out.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">What to do, when it is not <see cref="CheckStatus.Ok"/>.</param>
public sealed record DoctorCheck(string Name, CheckStatus Status, string Detail, string? Fix = null);

/// <summary>What <see cref="Doctor.CheckAsync"/> looks at.</summary>
public sealed record DoctorRequest
{
    /// <summary>The directory to check from (git repository, tagforge.yml); the current directory when unset.</summary>
    public string? Directory { get; init; }

    /// <summary>The repository whose registry to check; else the image of tagforge.yml / TAGFORGE_IMAGE; else the registry is not checked.</summary>
    public string? Image { get; init; }

    /// <summary>The docker CLI; <c>TAGFORGE_DOCKER</c>, else <c>docker</c>.</summary>
    public string? DockerExecutable { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyCollection<string>? InsecureRegistries { get; init; }

    /// <summary>Where variables come from; the process environment when unset.</summary>
    public IEnvironmentVariables? Environment { get; init; }
}

/// <summary>
/// Checks what a release needs, in the order a release needs it: the git repository, the config, the Docker engine,
/// the registry and the credentials for it. Each problem comes with what to do about it; nothing is changed.
/// </summary>
public static class Doctor
{
    /// <summary>Runs every check; never throws for what it finds (a failed check is a result).</summary>
    public static async Task<IReadOnlyList<DoctorCheck>> CheckAsync(DoctorRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var directory = Path.GetFullPath(request.Directory ?? System.IO.Directory.GetCurrentDirectory());
        var environment = request.Environment ?? ProcessEnvironment.Instance;
        var checks = new List<DoctorCheck> { CheckGit(directory) };

        ReleaseConfig config;
        try
        {
            config = ReleaseConfigFile.Load(directory, environment);
            checks.Add(new DoctorCheck("config", CheckStatus.Ok, config.Source is { } source ? $"settings from {source}" : "no tagforge.yml (flags or TAGFORGE_* variables needed)"));
        }
        catch (BadInputException ex)
        {
            config = ReleaseConfig.Empty;
            checks.Add(new DoctorCheck("config", CheckStatus.Failed, ex.Message, "fix the file (keys: image, context, dockerfile, template, preset, record, platform)"));
        }

        checks.Add(await CheckDockerAsync(request.DockerExecutable ?? environment.Read("TAGFORGE_DOCKER"), cancellationToken).ConfigureAwait(false));
        var image = request.Image ?? config.Image;
        if (image is null)
        {
            checks.Add(new DoctorCheck("registry", CheckStatus.Warning, "no image given, so no registry was checked", "pass --image registry.example.com/team/app or put image: in tagforge.yml"));
            return checks;
        }

        checks.AddRange(await CheckRegistryAsync(image, request.InsecureRegistries, environment, cancellationToken).ConfigureAwait(false));
        return checks;
    }

    private static DoctorCheck CheckGit(string directory)
    {
        try
        {
            using var git = GitRepositoryReader.Open(directory);
            var head = git.ReadHead();
            var detail = $"{git.WorkingDirectory} at {head.Sha[..8]} ({head.Branch ?? "detached HEAD"})";
            if (head.IsShallow)
            {
                return new DoctorCheck("git", CheckStatus.Warning, detail + ", a shallow clone", "{version} and {height} need the history: fetch with depth 0 (actions/checkout: fetch-depth: 0)");
            }

            return git.IsDirty()
                ? new DoctorCheck("git", CheckStatus.Warning, detail + ", with uncommitted changes", "commit or stash them: tags of a dirty tree end in -dirty")
                : new DoctorCheck("git", CheckStatus.Ok, detail);
        }
        catch (TagForgeException ex)
        {
            return new DoctorCheck("git", CheckStatus.Failed, ex.Message, "run TagForge inside a git repository with at least one commit");
        }
    }

    private static async Task<DoctorCheck> CheckDockerAsync(string? executable, CancellationToken cancellationToken)
    {
        var docker = new DockerCli(new DockerCliOptions { Executable = executable });
        try
        {
            var version = await docker.GetServerVersionAsync(cancellationToken).ConfigureAwait(false);
            return new DoctorCheck("docker", CheckStatus.Ok, $"engine {version} through {docker.Executable}");
        }
        catch (TagForgeException ex)
        {
            return new DoctorCheck("docker", CheckStatus.Failed, ex.Message, "install the docker CLI, start the engine (or Docker Desktop), or point DOCKER_HOST / TAGFORGE_DOCKER at them");
        }
    }

    private static async Task<IReadOnlyList<DoctorCheck>> CheckRegistryAsync(string image, IReadOnlyCollection<string>? insecure, IEnvironmentVariables environment, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var repository, out var problem))
        {
            return [new DoctorCheck("registry", CheckStatus.Failed, $"'{image}': {problem}", "give the repository as registry.example.com/team/app")];
        }

        var sources = new List<IRegistryCredentialSource>();
        string origin;
        if (ExplicitCredentialSource.FromEnvironment(environment, repository.Registry) is { } fromEnvironment)
        {
            sources.Add(fromEnvironment);
            origin = $"{ExplicitCredentialSource.UsernameVariable}/{ExplicitCredentialSource.PasswordVariable}";
        }
        else
        {
            var dockerConfig = new DockerConfigCredentialSource(environment);
            sources.Add(dockerConfig);
            RegistryCredential? stored;
            try
            {
                stored = await dockerConfig.GetAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
            }
            catch (TagForgeException ex)
            {
                return [new DoctorCheck("credentials", CheckStatus.Failed, ex.Message, $"fix {dockerConfig.ConfigPath} or its credential helper, or set {ExplicitCredentialSource.UsernameVariable}/{ExplicitCredentialSource.PasswordVariable}")];
            }

            origin = stored is null ? "none (anonymous)" : $"docker config {dockerConfig.ConfigPath}";
        }

        using var client = new RegistryClient(new RegistryClientOptions
        {
            Credentials = new CredentialSourceChain(sources),
            InsecureRegistries = insecure,
            MaxRetryAttempts = 0,
            AttemptTimeout = TimeSpan.FromSeconds(10),
        });
        try
        {
            var tags = await client.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false);
            return
            [
                new DoctorCheck("registry", CheckStatus.Ok, $"{repository.Registry} answers; {repository.Repository} has {tags.Count} tag(s)"),
                new DoctorCheck("credentials", CheckStatus.Ok, $"{origin}: reading {repository.Repository} works (pushing needs write access too)"),
            ];
        }
        catch (RegistryException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            return
            [
                new DoctorCheck("registry", CheckStatus.Ok, $"{repository.Registry} answers"),
                new DoctorCheck("credentials", CheckStatus.Failed, $"{origin}: {ex.Message}",
                    $"log in (docker login {repository.Registry}), or set {ExplicitCredentialSource.UsernameVariable}/{ExplicitCredentialSource.PasswordVariable}, with access to {repository.Repository}"),
            ];
        }
        catch (ExternalFailureException ex)
        {
            return [new DoctorCheck("registry", CheckStatus.Failed, ex.Message, $"check the name {repository.Registry}, the network and proxies; for a plain-http registry pass --insecure-registry {repository.Registry}")];
        }
    }
}
