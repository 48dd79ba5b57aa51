using TagForge.Records;

namespace TagForge.Operations;

/// <summary>What <see cref="RecordGetOperation"/> found.</summary>
/// <param name="Entry">The image's whole entry.</param>
/// <param name="Value">The field asked for.</param>
public sealed record RecordGetResult(ImageRecord Entry, string Value);
