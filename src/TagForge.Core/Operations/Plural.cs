namespace TagForge.Operations;

/// <summary>Counted nouns for the one-line messages operations return ("1 image", "3 repositories").</summary>
internal static class Plural
{
    public static string Of(int count, string noun) =>
        count == 1 ? $"1 {noun}" : $"{count} {(noun.EndsWith('y') ? noun[..^1] + "ie" : noun)}s";
}
