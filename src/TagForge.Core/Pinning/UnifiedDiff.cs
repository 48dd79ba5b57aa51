using DiffPlex.Renderer;

namespace TagForge.Pinning;

/// <summary>Unified diffs of a rewritten file (DiffPlex's renderer), for <c>--dry-run</c>.</summary>
public static class UnifiedDiff
{
    private static readonly UnidiffRenderer Renderer = new(differ: null, contextLines: 3);

    /// <summary>The diff from <paramref name="oldText"/> to <paramref name="newText"/>, headed <c>a/NAME</c> and <c>b/NAME</c>; empty when equal.</summary>
    public static string Create(string name, string oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(oldText, newText, StringComparison.Ordinal))
        {
            return "";
        }

        var diff = Renderer.Generate(oldText, newText, "a/" + name, "b/" + name, ignoreWhitespace: false, ignoreCase: false);
        return diff.EndsWith('\n') ? diff : diff + "\n";
    }
}
