using System.Globalization;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;

namespace TagForge.Operations;

/// <summary>How many requests promote and prune send one registry at once: the option, else <c>TAGFORGE_REGISTRY_CONCURRENCY</c>, else 4.</summary>
internal static class RegistryConcurrency
{
    public const string Variable = "TAGFORGE_REGISTRY_CONCURRENCY";

    public static int Resolve(int? given, IEnvironmentVariables environment)
    {
        if (given is { } value)
        {
            return value >= 1 ? value : throw new BadInputException($"--max-concurrency must be at least 1, not {value}");
        }

        var text = environment.Read(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return CopyOptions.DefaultConcurrency;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
            ? parsed
            : throw new BadInputException($"{Variable}='{text}' is not a whole number of at least 1");
    }
}
