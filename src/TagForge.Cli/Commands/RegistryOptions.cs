using System.CommandLine;
using TagForge.Services;

namespace TagForge.Cli.Commands;

/// <summary>The registry options verify and resolve share: requests in flight, plain-http registries and ECR.</summary>
internal sealed class RegistryOptions
{
    private readonly Option<int> _parallel = new("--parallel", "-j") { Description = "Registry requests in flight at once", DefaultValueFactory = _ => 16 };
    private readonly Option<string[]> _insecure = new("--insecure-registry") { Description = "Allow plain http or an unverified TLS certificate for this registry (loopback may always use plain http); repeatable" };
    private readonly EcrOptions _ecr = new();

    public void AddTo(Command command)
    {
        command.Add(_parallel);
        command.Add(_insecure);
        _ecr.AddTo(command);
    }

    public int Parallelism(ParseResult parseResult) => parseResult.GetValue(_parallel);

    /// <summary>How the operation reaches registries; the credentials come from TagForge's chain (environment, ECR, docker's config).</summary>
    public RegistryAccess Access(ParseResult parseResult) =>
        new() { InsecureRegistries = parseResult.GetValue(_insecure), Ecr = _ecr.Settings(parseResult) };
}
