namespace TagForge.Pinning;

/// <summary>
/// How deep a deployment file may nest. Real manifests nest a dozen levels; a limit keeps the readers and the
/// locator (which recurses) far from the stack's end, and stops YamlDotNet's scanner, whose cost per token grows
/// with the flow depth, from taking quadratic time on hostile input. YAML and JSON share it and its message.
/// </summary>
internal static class NestingLimit
{
    /// <summary>Mappings and sequences inside each other, the document's root counting as 1.</summary>
    public const int MaxDepth = 256;

    /// <summary>The one message for a file over the limit; <paramref name="line"/> is where the limit was crossed.</summary>
    public static string Message(string name, int line) =>
        $"{name}:{line}: nested deeper than {MaxDepth} levels of mappings and sequences (merge keys included), TagForge's limit for a deployment file; not read";
}

/// <summary>
/// A file nests deeper than <see cref="NestingLimit.MaxDepth"/> (merge keys included); <see cref="Line"/> is 1-based,
/// or -1 with the char <see cref="Offset"/> when the reader had no line.
/// </summary>
internal sealed class NestingTooDeepException(int line) : Exception($"nested deeper than {NestingLimit.MaxDepth} levels")
{
    public int Line { get; } = line;

    public int Offset { get; init; } = -1;
}
