namespace TagForge.Content;

/// <summary>An image's content identity and what it was computed from.</summary>
/// <param name="Value">The identity: 64 lowercase hex digits (SHA-256 of the manifest).</param>
/// <param name="Entries">The context entries the builder is sent, sorted by path.</param>
/// <param name="Manifest">The text that was hashed (one line per input), for explaining a difference.</param>
public sealed record ContentIdentity(string Value, IReadOnlyList<ContextEntry> Entries, string Manifest);
