using System.CommandLine;
using TagForge.Registry;

namespace TagForge.Cli.Commands;

/// <summary>
/// The one name for registry requests in flight, on every command that sends many (promote, prune, verify,
/// resolve). Builds at once are <c>--jobs</c> (release --all).
/// </summary>
internal static class ConcurrencyOptions
{
    public static Option<int?> MaxConcurrency() => new("--max-concurrency")
    {
        Description = $"Registry requests in flight at once (default {RegistryConcurrency.Default}, or {RegistryConcurrency.Variable})",
    };
}
