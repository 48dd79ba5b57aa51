namespace TagForge.Content;

/// <summary>The labels TagForge puts on the images it builds.</summary>
public static class ContentLabels
{
    /// <summary>The image's content identity (<see cref="ContentHasher.Compute(ContentInput)"/>): a rerun is "the registry holds an image with this identity under this tag".</summary>
    public const string Identity = "dev.tagforge.content";
}
