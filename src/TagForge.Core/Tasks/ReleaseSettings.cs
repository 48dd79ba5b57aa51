using TagForge.Tagging;

namespace TagForge.Tasks;

/// <summary>
/// Settings of <see cref="TagForgeTasks.Release(ReleaseSettings)"/>: tag, build, push (never overwriting a tag by
/// accident), confirm the digest and record it.
/// </summary>
public sealed record ReleaseSettings : ReleaseTaskSettings, ISourceSettings, IPublishSettings
{
    TagRequest ITagSettings.TagRequest => Request.Tag;

    ITagSettings ITagSettings.WithTagRequest(TagRequest request) => this with { Request = Request with { Tag = request } };
}
