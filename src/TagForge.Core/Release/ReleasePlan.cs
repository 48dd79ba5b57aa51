using TagForge.Tagging;

namespace TagForge.Release;

/// <summary>What <c>tagforge release --dry-run</c> shows: the tag, the commands, the registry's answer, the record.</summary>
/// <param name="Image">The repository.</param>
/// <param name="Tag">The tag the release would make, and every input that made it.</param>
/// <param name="Commands">The docker commands the release would run, in order (temporary paths and the image id as placeholders).</param>
/// <param name="LabelInstruction">The <c>LABEL</c> line appended to a copy of the Dockerfile (how the classic builder gets the labels in one step), or null when the labels are on the command line or left out.</param>
/// <param name="TagState">Whether the registry holds the tag.</param>
/// <param name="RegistryDetail">The registry's answer in words (the digest it holds, or why it could not be asked).</param>
/// <param name="RecordPath">The record the entry would be merged into (absolute), or null.</param>
/// <param name="Problems">What would make the release fail before pushing (a missing Dockerfile, a read-only record).</param>
/// <param name="ContentIdentity">The image's content identity (labelled <c>dev.tagforge.content</c>), or null when it cannot be known.</param>
public sealed record ReleasePlan(
    string Image,
    TagResult Tag,
    IReadOnlyList<IReadOnlyList<string>> Commands,
    string? LabelInstruction,
    PlannedTagState TagState,
    string RegistryDetail,
    string? RecordPath,
    IReadOnlyList<string> Problems,
    string? ContentIdentity = null);
