namespace TagForge.Cli;

/// <summary>
/// The name of the image whose work is running on this async flow (<c>release --all</c> builds several at once):
/// set by the logger's <c>BeginScope</c>, read by every line written to stderr, so parallel builds' lines can be told
/// apart in a CI log. Unset (no prefix) when one image is released.
/// </summary>
internal static class OutputScope
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>Names the lines of the current flow <paramref name="name"/> until the result is disposed.</summary>
    public static IDisposable Begin(string name)
    {
        var outer = Current.Value;
        Current.Value = name;
        return new Restore(outer);
    }

    /// <summary>The name of the image whose work runs on this flow; null outside a scope.</summary>
    public static string? Name => Current.Value;

    /// <summary><paramref name="line"/> with the current name in front (<c>[api] …</c>), or as it is.</summary>
    public static string Prefixed(string line) => Current.Value is { } name ? $"[{name}] {line}" : line;

    private sealed class Restore(string? outer) : IDisposable
    {
        public void Dispose() => Current.Value = outer;
    }
}
