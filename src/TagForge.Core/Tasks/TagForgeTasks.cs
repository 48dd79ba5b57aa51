using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TagForge.Tasks;

/// <summary>
/// TagForge's operations as Nuke-style tasks for C# build scripts: each takes a settings record or a
/// <see cref="Configure{T}"/> delegate, runs synchronously and returns a typed result (with an <c>…Async</c>
/// twin), throws <see cref="Errors.TagForgeException"/> subclasses on failure, and logs through
/// <see cref="TagForgeSettings.Logger"/> or <see cref="DefaultLogger"/>.
/// </summary>
/// <example>
/// <code>
/// var tag = TagForgeTasks.Tag(s =&gt; s.SetTemplate("{sha:8}")).Tag;
/// var release = TagForgeTasks.Release(s =&gt; s
///     .SetImage("registry.example/app")
///     .SetTemplate("v.{sha:8}_{time:yyyyMMddHHmm}-{build}")
///     .SetRecord("tagforge.json")
///     .EnableRemoveLocal());
/// </code>
/// </example>
public static partial class TagForgeTasks
{
    private static ILogger _defaultLogger = NullLogger.Instance;

    /// <summary>The logger tasks use when their settings name none; <see cref="NullLogger"/> until <see cref="SetLogger"/> is called.</summary>
    public static ILogger DefaultLogger => _defaultLogger;

    /// <summary>Makes <paramref name="logger"/> the default logger of every task (null restores the silent default).</summary>
    public static void SetLogger(ILogger? logger) => _defaultLogger = logger ?? NullLogger.Instance;

    private static T Apply<T>(Configure<T> configure)
        where T : TagForgeSettings, new()
    {
        ArgumentNullException.ThrowIfNull(configure);
        return configure(new T());
    }

    /// <summary>Runs an async task synchronously (build scripts are synchronous; the core is async).</summary>
    private static T Wait<T>(Task<T> task) => task.ConfigureAwait(false).GetAwaiter().GetResult();
}
