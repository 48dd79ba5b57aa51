using System.CommandLine;
using TagForge.Services;

namespace TagForge.Cli.Commands;

/// <summary>The registry options verify and resolve share: requests in flight (<c>--max-concurrency</c>), plain-http registries and ECR.</summary>
internal sealed class RegistryOptions
{
    private readonly Option<int?> _concurrency = ConcurrencyOptions.MaxConcurrency();

    // verify's and resolve's name before 2026-12 (-j is --jobs, builds, elsewhere): still read, no longer shown.
    private readonly Option<int?> _parallel = new("--parallel", "-j") { Hidden = true };
    private readonly Option<string[]> _insecure = new("--insecure-registry") { Description = "Allow plain http or an unverified TLS certificate for this registry (loopback may always use plain http); repeatable" };
    private readonly EcrOptions _ecr = new();

    public void AddTo(Command command)
    {
        command.Add(_concurrency);
        command.Add(_parallel);
        command.Add(_insecure);
        _ecr.AddTo(command);
    }

    /// <summary>Registry requests in flight at once, when given (the core applies TAGFORGE_REGISTRY_CONCURRENCY and the default).</summary>
    public int? MaxConcurrency(ParseResult parseResult) => parseResult.GetValue(_concurrency) ?? parseResult.GetValue(_parallel);

    /// <summary>How the operation reaches registries; the credentials come from TagForge's chain (environment, ECR, docker's config).</summary>
    public RegistryAccess Access(ParseResult parseResult) =>
        new() { InsecureRegistries = parseResult.GetValue(_insecure), Ecr = _ecr.Settings(parseResult) };
}
