namespace TagForge.Tagging;

/// <summary>A piece of a parsed template: literal text or a placeholder.</summary>
public abstract record TemplateSegment;

/// <summary>Text copied into the tag as it is (already checked to be valid in a tag).</summary>
public sealed record LiteralSegment(string Text) : TemplateSegment;

/// <summary>A placeholder such as <c>{sha:8}</c>.</summary>
/// <param name="Kind">Which placeholder.</param>
/// <param name="Argument">What follows the colon (<c>8</c>, a time format, a variable name), if anything.</param>
/// <param name="Source">The placeholder as written, for messages.</param>
public sealed record PlaceholderSegment(PlaceholderKind Kind, string? Argument, string Source) : TemplateSegment;
