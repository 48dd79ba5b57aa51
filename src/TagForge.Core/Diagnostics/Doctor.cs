using TagForge.Config;
using TagForge.Containers;
using TagForge.Ecr;
using TagForge.Errors;
using TagForge.Git;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Diagnostics;

/// <summary>
/// Checks what a release needs, in the order a release needs it: the git repository, the config, the Docker engine,
/// the registry and the credentials for it. Each problem comes with what to do about it; nothing is changed.
/// </summary>
public static class Doctor
{
    /// <summary>
    /// Runs every check, reading variables from <paramref name="services"/> and reaching the registry through its
    /// client factory, so what doctor finds is what a release would; never throws for what it finds (a failed check
    /// is a result).
    /// </summary>
    public static async Task<IReadOnlyList<DoctorCheck>> CheckAsync(DoctorRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var directory = services.Resolve(request.Directory) ?? services.WorkingDirectory;
        var environment = services.Environment;
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
            checks.Add(new DoctorCheck("config", CheckStatus.Failed, ex.Message, "fix the file (keys: image, context, dockerfile, template, preset, record, platform, builder, project)"));
        }

        var builder = CheckBuilder(request, config, environment, out var kind);
        checks.Add(builder);
        if (kind is BuilderKind.Docker or BuilderKind.Buildx)
        {
            checks.Add(await CheckDockerAsync(services.Docker(request.DockerExecutable), environment, cancellationToken).ConfigureAwait(false));
        }
        else if (kind is BuilderKind.Podman or BuilderKind.Buildah)
        {
            checks.Add(await CheckToolAsync(
                new OciToolBuilder(kind.Value, environment.Read("TAGFORGE_BUILDER_EXECUTABLE"), request.StorageDriver ?? environment.Read("TAGFORGE_STORAGE_DRIVER")), cancellationToken).ConfigureAwait(false));
        }
        else if (kind is BuilderKind.Dotnet)
        {
            checks.Add(await CheckToolAsync(new DotnetPublisher(environment.Read("TAGFORGE_BUILDER_EXECUTABLE")), cancellationToken).ConfigureAwait(false));
        }
        var image = request.Image ?? config.Image;
        if (image is null)
        {
            checks.Add(new DoctorCheck("registry", CheckStatus.Warning, "no image given, so no registry was checked", "pass --image registry.example.com/team/app or put image: in tagforge.yml"));
            return checks;
        }

        checks.AddRange(await CheckRegistryAsync(image, request, services, cancellationToken).ConfigureAwait(false));
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

    /// <summary>Which builder a release would use, and why; every builder found on PATH.</summary>
    private static DoctorCheck CheckBuilder(DoctorRequest request, ReleaseConfig config, IEnvironmentVariables environment, out BuilderKind? kind)
    {
        var installed = string.Join(", ", Builders.Installed(environment).Select(Builders.Name));
        var found = $"installed: {(installed.Length > 0 ? installed : "none")}";
        try
        {
            var (chosen, why) = request.Builder is { } given ? (given, "given")
                : config.Builder is { } named ? (Builders.Parse(named, config.Source == "environment" ? "TAGFORGE_BUILDER" : "builder:"), $"from {config.Source}")
                : (Builders.Detect(environment), "detected");
            kind = chosen;
            return new DoctorCheck("builder", CheckStatus.Ok, $"{Builders.Name(chosen)} ({why}; {found})");
        }
        catch (BadInputException ex)
        {
            kind = null;
            return new DoctorCheck("builder", CheckStatus.Failed, $"{ex.Message} ({found})", "name one of " + string.Join(", ", Builders.Names));
        }
    }

    private static async Task<DoctorCheck> CheckToolAsync(IBuilderTool tool, CancellationToken cancellationToken)
    {
        try
        {
            return new DoctorCheck(Builders.Name(tool.Kind), CheckStatus.Ok, await tool.DescribeAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (TagForgeException ex)
        {
            return new DoctorCheck(Builders.Name(tool.Kind), CheckStatus.Failed, ex.Message, Builders.InstallHint(tool.Kind) + ", or choose another --builder");
        }
    }

    private static async Task<DoctorCheck> CheckDockerAsync(DockerCli docker, IEnvironmentVariables environment, CancellationToken cancellationToken)
    {
        try
        {
            var version = await docker.GetServerVersionAsync(cancellationToken).ConfigureAwait(false);
            return new DoctorCheck("docker", CheckStatus.Ok, $"engine {version} through {docker.Executable}{DockerCli.DescribeEngine(environment)}");
        }
        catch (TagForgeException ex)
        {
            return new DoctorCheck("docker", CheckStatus.Failed, ex.Message, "install the docker CLI, start the engine (or Docker Desktop), or point DOCKER_HOST / TAGFORGE_DOCKER at them");
        }
    }

    private static async Task<IReadOnlyList<DoctorCheck>> CheckRegistryAsync(string image, DoctorRequest request, TagForgeServices services, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var repository, out var problem))
        {
            return [new DoctorCheck("registry", CheckStatus.Failed, $"'{image}': {problem}", "give the repository as registry.example.com/team/app")];
        }

        // The factory's client, credential chain and all: doctor must succeed and fail exactly where a release would.
        using var session = services.Registries.Open(new RegistryAccess
        {
            CredentialRegistry = repository.Registry,
            InsecureRegistries = request.InsecureRegistries,
            Ecr = request.Ecr ?? new(),
            MaxRetryAttempts = 0,
            AttemptTimeout = TimeSpan.FromSeconds(10),
        });
        RegistryEndpoint? endpoint;
        try
        {
            // The release's own first question: is a distribution registry answering there at all, and over what.
            endpoint = await session.Client.ProbeAsync(repository, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalFailureException ex)
        {
            return [new DoctorCheck("registry", CheckStatus.Failed, ex.Message, $"check the name and port of {repository.Registry}, the network and proxies; a plain-http or self-signed registry elsewhere than loopback needs --insecure-registry {repository.Registry}")];
        }

        var answers = endpoint is null ? $"{repository.Registry} answers"
            : $"{repository.Registry} answers as a registry at {endpoint.BaseUri.GetLeftPart(UriPartial.Authority)} ({(endpoint.Status == System.Net.HttpStatusCode.Unauthorized ? "asks for credentials" : "open")})";
        var (origin, broken) = await CredentialOriginAsync(repository.Registry, services.Ecr(request.Ecr ?? new()), services.Environment, cancellationToken).ConfigureAwait(false);
        if (broken is not null)
        {
            return [new DoctorCheck("registry", CheckStatus.Ok, answers), broken];
        }

        var logIn = $"log in (tagforge login {repository.Registry} --username USER --password-stdin, or docker login {repository.Registry}), or set {ExplicitCredentialSource.UsernameVariable}/{ExplicitCredentialSource.PasswordVariable}, with access to {repository.Repository}";
        try
        {
            if (endpoint is not null)
            {
                // GET /v2/ with the chain's credentials, as docker login checks them: refused and missing read apart.
                var access = await session.Client.CheckAccessAsync(repository, cancellationToken).ConfigureAwait(false);
                if (access.Outcome is RegistryAccessOutcome.Refused)
                {
                    var who = string.IsNullOrEmpty(access.User) ? "the identity token" : $"the credentials for {access.User}";
                    return
                    [
                        new DoctorCheck("registry", CheckStatus.Ok, answers),
                        new DoctorCheck("credentials", CheckStatus.Failed, $"{origin}: {repository.Registry} refused {who} (HTTP {(int)access.Status})", logIn),
                    ];
                }

                if (access.Outcome is RegistryAccessOutcome.NoCredentials)
                {
                    return
                    [
                        new DoctorCheck("registry", CheckStatus.Ok, answers),
                        new DoctorCheck("credentials", CheckStatus.Failed, $"no credentials for {repository.Registry}, which asks for them (HTTP {(int)access.Status})", logIn),
                    ];
                }
            }

            var tags = await session.Client.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false);
            return
            [
                new DoctorCheck("registry", CheckStatus.Ok, $"{answers}; {repository.Repository} has {tags.Count} tag(s)"),
                new DoctorCheck("credentials", CheckStatus.Ok, $"{origin}: reading {repository.Repository} works (pushing needs write access too)"),
            ];
        }
        catch (RegistryException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            return
            [
                new DoctorCheck("registry", CheckStatus.Ok, answers),
                new DoctorCheck("credentials", CheckStatus.Failed, $"{origin}: {ex.Message}", logIn),
            ];
        }
        catch (ExternalFailureException ex)
        {
            return [new DoctorCheck("registry", CheckStatus.Failed, ex.Message, $"check the name {repository.Registry}, the network and proxies; for a plain-http registry pass --insecure-registry {repository.Registry}")];
        }
    }

    /// <summary>
    /// Where the chain of <see cref="RegistryClientFactory"/> finds credentials for <paramref name="registry"/>, said
    /// for a person (the first source that answers, in the chain's order), or the check that failed on the way.
    /// </summary>
    private static async Task<(string Origin, DoctorCheck? Broken)> CredentialOriginAsync(string registry, EcrRegistryAuthenticator ecr, IEnvironmentVariables environment, CancellationToken cancellationToken)
    {
        var variables = $"{ExplicitCredentialSource.UsernameVariable}/{ExplicitCredentialSource.PasswordVariable}";
        var scope = environment.Read(ExplicitCredentialSource.RegistryVariable);
        if (ExplicitCredentialSource.FromEnvironment(environment, scope ?? registry) is { } fromEnvironment && await fromEnvironment.GetAsync(registry, cancellationToken).ConfigureAwait(false) is not null)
        {
            return (variables, null);
        }

        if (ecr.Handles(registry))
        {
            try
            {
                if (await ecr.GetAsync(registry, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return ("ECR authorization token (AWS credentials)", null);
                }
            }
            catch (AwsCredentialsNotFoundException)
            {
                // No AWS credentials: the chain goes on to docker's config, and so does the description.
            }
            catch (ExternalFailureException ex)
            {
                return ("", new DoctorCheck("credentials", CheckStatus.Failed, ex.Message,
                    $"fix the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, aws sso login) and their ecr:GetAuthorizationToken permission, or set {variables}"));
            }
        }

        var authFile = environment.Read(DockerAuthFile.AuthFileVariable) is { Length: > 0 } path ? new DockerConfigCredentialSource(environment, path: path) : null;
        var dockerConfig = new DockerConfigCredentialSource(environment);
        try
        {
            if (authFile is not null && await authFile.GetAsync(registry, cancellationToken).ConfigureAwait(false) is not null)
            {
                return ($"auth file {authFile.ConfigPath} ({DockerAuthFile.AuthFileVariable})", null);
            }

            var stored = await dockerConfig.GetAsync(registry, cancellationToken).ConfigureAwait(false);
            return (stored is null ? "none (anonymous)" : $"docker config {dockerConfig.ConfigPath}", null);
        }
        catch (TagForgeException ex)
        {
            return ("", new DoctorCheck("credentials", CheckStatus.Failed, ex.Message, $"fix {dockerConfig.ConfigPath} or its credential helper, or set {variables}"));
        }
    }
}
