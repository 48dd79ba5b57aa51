using TagForge.Tagging;

namespace TagForge.Tasks;

/// <summary>Settings that decide a tag (tag, build, release); the tag setters of <see cref="TagSettingsExtensions"/> work on all of them.</summary>
public interface ITagSettings
{
    /// <summary>What decides the tag.</summary>
    TagRequest TagRequest { get; }

    /// <summary>A copy of these settings with <paramref name="request"/> deciding the tag.</summary>
    ITagSettings WithTagRequest(TagRequest request);
}
