using System.CommandLine;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Services;

namespace TagForge.Cli.Commands;

/// <summary>The registry options verify and resolve share, and the client they build.</summary>
internal sealed class RegistryOptions
{
    private readonly Option<int> _parallel = new("--parallel", "-j") { Description = "Registry requests in flight at once", DefaultValueFactory = _ => 16 };
    private readonly Option<string[]> _insecure = new("--insecure-registry") { Description = "Speak plain http to this registry (loopback always is); repeatable" };
    private readonly EcrOptions _ecr = new();

    public void AddTo(Command command)
    {
        command.Add(_parallel);
        command.Add(_insecure);
        _ecr.AddTo(command);
    }

    public int Parallelism(ParseResult parseResult) => parseResult.GetValue(_parallel);

    /// <summary>
    /// A client with credentials from TAGFORGE_REGISTRY_USERNAME/PASSWORD, then ECR's GetAuthorizationToken for ECR
    /// registries (no docker login needed), then the docker config (and its helpers).
    /// </summary>
    public RegistrySession CreateClient(ParseResult parseResult)
    {
        var environment = ProcessEnvironment.Instance;
        var ecr = EcrCredentialSource.Create(environment, _ecr.Settings(parseResult));
        var credentials = RegistryCredentialSources.Default(environment, null, null, ecr);
        var client = new RegistryClient(new RegistryClientOptions { Credentials = credentials, InsecureRegistries = parseResult.GetValue(_insecure) });
        return new RegistrySession(client, ecr);
    }
}

/// <summary>A registry client and the ECR credential source it uses, disposed together.</summary>
internal sealed class RegistrySession(RegistryClient client, EcrCredentialSource ecr) : IDisposable
{
    public RegistryClient Client { get; } = client;

    public void Dispose()
    {
        Client.Dispose();
        ecr.Dispose();
    }
}
