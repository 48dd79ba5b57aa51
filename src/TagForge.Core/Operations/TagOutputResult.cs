using TagForge.Tagging;

namespace TagForge.Operations;

/// <summary>What <see cref="TagOperation.Run"/> made.</summary>
/// <param name="Tag">The tag and every input that made it.</param>
/// <param name="Output">The text for stdout (empty when it went to a file).</param>
/// <param name="WrittenTo">The file written, when the output went to one (a GitHub output file is appended to and not named here).</param>
public sealed record TagOutputResult(TagResult Tag, string Output, string? WrittenTo);
