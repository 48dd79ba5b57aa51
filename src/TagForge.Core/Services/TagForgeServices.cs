using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Containers;
using TagForge.Ecr;
using TagForge.IO;

namespace TagForge.Services;

/// <summary>
/// What every operation needs besides its request: the environment, the clock, the logger, the working directory,
/// where tools' live output goes, registry clients, the docker CLI and ECR. Made once at the edge (the CLI's
/// command, a build script's task call) and passed beside the request, never inside it, so a request stays data
/// and a test can hand any operation a sandboxed environment, clock or logger.
/// </summary>
public sealed class TagForgeServices : IDisposable
{
    private readonly Lazy<AwsCredentialChain> _aws;
    private readonly Dictionary<EcrSettings, EcrRegistryAuthenticator> _ecr = [];
    private readonly Lock _ecrLock = new();

    /// <summary>
    /// Creates the services; every argument defaults to the process's own (environment, system clock, current
    /// directory). <paramref name="registries"/> replaces how registry sessions are opened (a test's instrumented client);
    /// <paramref name="progress"/> receives progress reports (none when null).
    /// </summary>
    public TagForgeServices(
        IEnvironmentVariables? environment = null,
        ILogger? logger = null,
        TimeProvider? clock = null,
        string? workingDirectory = null,
        Action<string>? toolOutput = null,
        Func<RegistryAccess, RegistrySession>? registries = null,
        IProgress<ProgressUpdate>? progress = null)
    {
        Progress = progress;
        Environment = environment ?? ProcessEnvironment.Instance;
        Logger = logger ?? NullLogger.Instance;
        Clock = clock ?? TimeProvider.System;
        WorkingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
        ToolOutput = toolOutput;
        _aws = new Lazy<AwsCredentialChain>(() => new AwsCredentialChain(Environment), LazyThreadSafetyMode.ExecutionAndPublication);
        Registries = new RegistryClientFactory(this, registries);
    }

    /// <summary>Where <c>TAGFORGE_*</c>, CI, <c>DOCKER_CONFIG</c>, <c>AWS_*</c> and GitHub variables are read.</summary>
    public IEnvironmentVariables Environment { get; }

    /// <summary>Where progress, warnings and debug lines go.</summary>
    public ILogger Logger { get; }

    /// <summary>"Now", for the tag's time and the record's <c>createdAt</c>.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The absolute directory relative paths (context, record, files, tagforge.yml) are resolved against.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Receives the live output of docker (and other builders), line by line; the logger when null.</summary>
    public Action<string>? ToolOutput { get; }

    /// <summary>Where long operations report progress (<see cref="ProgressUpdate"/>); none when null (<c>--quiet</c>).</summary>
    public IProgress<ProgressUpdate>? Progress { get; }

    /// <summary>A meter for one long activity, reporting to <see cref="Progress"/> on <see cref="Clock"/>.</summary>
    public ProgressMeter Meter(string activity, ProgressUnit unit, long? total = null) => new(Progress, Clock, activity, unit, total);

    /// <summary>Makes registry clients with TagForge's one credential chain (<see cref="RegistryClientFactory"/>).</summary>
    public RegistryClientFactory Registries { get; }

    /// <summary>The AWS credential chain (environment, profiles, web identity, SSO), made on first use and shared.</summary>
    public IAwsCredentialSource AwsCredentials => _aws.Value;

    /// <summary><paramref name="path"/> made absolute against <see cref="WorkingDirectory"/>; null stays null.</summary>
    public string? Resolve(string? path) => path is null ? null : Path.GetFullPath(path, WorkingDirectory);

    /// <summary>
    /// The docker CLI: <paramref name="executable"/>, else <c>TAGFORGE_DOCKER</c>, else <c>docker</c> on PATH, with
    /// <paramref name="environment"/> added to its process and its output sent to <see cref="ToolOutput"/>.
    /// </summary>
    public DockerCli Docker(string? executable = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(new DockerCliOptions { Executable = executable ?? Environment.Read("TAGFORGE_DOCKER"), Environment = environment, Output = ToolOutput }, Logger);

    /// <summary>
    /// ECR clients and registry logins under <paramref name="settings"/>, shared by everything these services run (the
    /// registry client's credentials and a release's ECR steps ask ECR for one token), disposed with the services.
    /// </summary>
    public EcrRegistryAuthenticator Ecr(EcrSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_ecrLock)
        {
            if (!_ecr.TryGetValue(settings, out var authenticator))
            {
                authenticator = new EcrRegistryAuthenticator(settings, Environment, AwsCredentials, time: Clock, logger: Logger);
                _ecr[settings] = authenticator;
            }

            return authenticator;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_ecrLock)
        {
            foreach (var authenticator in _ecr.Values)
            {
                authenticator.Dispose();
            }

            _ecr.Clear();
        }

        if (_aws.IsValueCreated)
        {
            _aws.Value.Dispose();
        }
    }
}
