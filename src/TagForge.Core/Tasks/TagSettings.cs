using TagForge.Tagging;

namespace TagForge.Tasks;

/// <summary>Settings of <see cref="TagForgeTasks.Tag(TagSettings)"/>: what decides a tag (the same <see cref="Tagging.TagRequest"/> the command line fills).</summary>
public sealed record TagSettings : TagForgeSettings, ITagSettings
{
    /// <summary>What decides the tag; unset values take TagForge's defaults.</summary>
    public TagRequest Request { get; init; } = new();

    TagRequest ITagSettings.TagRequest => Request;

    ITagSettings ITagSettings.WithTagRequest(TagRequest request) => this with { Request = request };
}
