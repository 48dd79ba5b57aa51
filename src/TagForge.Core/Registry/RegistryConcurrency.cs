using System.Globalization;
using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Registry;

/// <summary>
/// How many requests a command sends one registry at once (promote's copies, prune, verify, resolve): the option
/// (<c>--max-concurrency</c>, <c>SetMaxConcurrency</c>), else <c>TAGFORGE_REGISTRY_CONCURRENCY</c>, else
/// <see cref="Default"/>. Builds at once are <c>--jobs</c>, another thing.
/// </summary>
public static class RegistryConcurrency
{
    /// <summary>The variable that sets it for every command.</summary>
    public const string Variable = "TAGFORGE_REGISTRY_CONCURRENCY";

    /// <summary>The default: polite to a shared registry, and enough to hide a round trip of ~100 ms.</summary>
    public const int Default = 8;

    /// <summary>The number of requests in flight: <paramref name="given"/>, else the variable, else <see cref="Default"/>.</summary>
    /// <exception cref="BadInputException">Less than 1, or a variable that is not a whole number (exit 2).</exception>
    public static int Resolve(int? given, IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (given is { } value)
        {
            return value >= 1 ? value : throw new BadInputException($"--max-concurrency must be at least 1, not {value}");
        }

        var text = environment.Read(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
            ? parsed
            : throw new BadInputException($"{Variable}='{text}' is not a whole number of at least 1");
    }
}
