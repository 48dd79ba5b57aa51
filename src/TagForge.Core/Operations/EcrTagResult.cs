using TagForge.Values;

namespace TagForge.Operations;

/// <summary>The outcome of <see cref="EcrTagOperation"/>.</summary>
/// <param name="Source">The image as the request named it.</param>
/// <param name="Tag">The tag now on the image.</param>
/// <param name="Digest">The image's manifest digest.</param>
/// <param name="Changed">False when the tag already pointed at that digest.</param>
public sealed record EcrTagResult(ImageReference Source, string Tag, Digest Digest, bool Changed)
{
    /// <summary>The tagged image pinned: <c>&lt;registry&gt;/&lt;repo&gt;:&lt;tag&gt;@&lt;digest&gt;</c>.</summary>
    public ImageReference Target => Source.With(Tag, Digest);
}
