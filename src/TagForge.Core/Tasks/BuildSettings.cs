using TagForge.Tagging;

namespace TagForge.Tasks;

/// <summary>Settings of <see cref="TagForgeTasks.Build(BuildSettings)"/>: tag and build an image locally, without pushing.</summary>
public sealed record BuildSettings : ReleaseTaskSettings, ISourceSettings
{
    TagRequest ITagSettings.TagRequest => Request.Tag;

    ITagSettings ITagSettings.WithTagRequest(TagRequest request) => this with { Request = Request with { Tag = request } };
}
