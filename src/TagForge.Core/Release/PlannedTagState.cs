namespace TagForge.Release;

/// <summary>What the registry said about the tag a release would push.</summary>
public enum PlannedTagState
{
    /// <summary>The registry does not hold the tag: the release would push it.</summary>
    Free,

    /// <summary>The registry holds the tag: the release pushes only the same image, else refuses (unless overwriting is allowed).</summary>
    Taken,

    /// <summary>The registry could not be asked.</summary>
    Unknown,
}
