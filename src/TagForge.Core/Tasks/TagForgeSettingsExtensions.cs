using Microsoft.Extensions.Logging;
using TagForge.IO;

namespace TagForge.Tasks;

/// <summary>Fluent setters for what every task's settings share (<see cref="TagForgeSettings"/>).</summary>
public static class TagForgeSettingsExtensions
{
    /// <summary>Logs to <paramref name="logger"/>.</summary>
    public static T SetLogger<T>(this T settings, ILogger? logger)
        where T : TagForgeSettings => (T)(settings.Base() with { Logger = logger });

    /// <summary>Logs to <see cref="TagForgeTasks.DefaultLogger"/>.</summary>
    public static T ResetLogger<T>(this T settings)
        where T : TagForgeSettings => (T)(settings.Base() with { Logger = null });

    /// <summary>Reads environment variables from <paramref name="environment"/> instead of the process.</summary>
    public static T SetEnvironment<T>(this T settings, IEnvironmentVariables? environment)
        where T : TagForgeSettings => (T)(settings.Base() with { Environment = environment });

    /// <summary>Reads environment variables from <paramref name="variables"/> only (handy in tests and sandboxes).</summary>
    public static T SetEnvironment<T>(this T settings, IReadOnlyDictionary<string, string> variables)
        where T : TagForgeSettings => (T)(settings.Base() with { Environment = new DictionaryEnvironment(variables) });

    /// <summary>Reads environment variables from the process.</summary>
    public static T ResetEnvironment<T>(this T settings)
        where T : TagForgeSettings => (T)(settings.Base() with { Environment = null });

    /// <summary>Works in <paramref name="directory"/>.</summary>
    public static T SetWorkingDirectory<T>(this T settings, string? directory)
        where T : TagForgeSettings => (T)(settings.Base() with { WorkingDirectory = directory });

    /// <summary>Works in the current directory.</summary>
    public static T ResetWorkingDirectory<T>(this T settings)
        where T : TagForgeSettings => (T)(settings.Base() with { WorkingDirectory = null });

    /// <summary>Takes "now" from <paramref name="clock"/>.</summary>
    public static T SetClock<T>(this T settings, TimeProvider? clock)
        where T : TagForgeSettings => (T)(settings.Base() with { Clock = clock });

    /// <summary>Takes "now" from the system clock.</summary>
    public static T ResetClock<T>(this T settings)
        where T : TagForgeSettings => (T)(settings.Base() with { Clock = null });

    // `with` on a type parameter is not allowed; on the base record it calls the virtual clone, so the copy keeps its type.
    private static TagForgeSettings Base(this TagForgeSettings settings) => settings;
}
