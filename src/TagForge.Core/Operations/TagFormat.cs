namespace TagForge.Operations;

/// <summary>How <c>tagforge tag</c> hands the tag on.</summary>
public enum TagFormat
{
    /// <summary>The tag alone, on a line.</summary>
    Plain,

    /// <summary>The tag and every input that made it, as JSON.</summary>
    Json,

    /// <summary><c>NAME=tag</c> (default name <c>IMAGE_TAG</c>).</summary>
    Dotenv,

    /// <summary>Appended to <c>$GITHUB_OUTPUT</c> (default name <c>tag</c>); the tag is also printed.</summary>
    GitHub,
}
