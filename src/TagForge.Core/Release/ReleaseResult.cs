using TagForge.Records;

namespace TagForge.Release;

/// <summary>What a release did.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="ImageId">The local image id.</param>
/// <param name="Digest">The manifest digest the registry holds; null when nothing was pushed (build only).</param>
/// <param name="Reference"><c>repository@digest</c>; null when nothing was pushed.</param>
/// <param name="Record">The record entry; null when nothing was pushed.</param>
/// <param name="Pushed">False when the registry already held the same image under the tag (an idempotent rerun) or when only building.</param>
/// <param name="RecordPath">The record the entry was merged into (as given, or from tagforge.yml); null when none was written.</param>
/// <param name="Image">The repository as given (on the command line, in the settings, or in tagforge.yml).</param>
/// <param name="BuiltWith">The builder when it is not the local docker engine (<c>podman</c>, <c>dotnet</c>, <c>docker on remote engine tcp://…</c>), for the summary; null for the default.</param>
public sealed record ReleaseResult(string Tag, string ImageId, string? Digest, string? Reference, ImageRecord? Record, bool Pushed, string? RecordPath = null, string Image = "", string? BuiltWith = null);
