namespace TagForge.Tagging;

/// <summary>What to do when tracked files differ from the commit being tagged.</summary>
public enum DirtyMode
{
    /// <summary>Append <c>-dirty</c> so the tag does not claim to be the commit.</summary>
    Suffix,

    /// <summary>Refuse (exit code 3).</summary>
    Fail,

    /// <summary>Tag as if the tree were clean.</summary>
    Ignore,
}
