namespace TagForge.Cli.Live;

/// <summary>Where one image of <c>release --all</c> stands, as the live table shows it.</summary>
internal enum ImageState
{
    Waiting,
    Building,
    Pushing,
    Built,
    Reused,
    Failed,
    Skipped,
}

/// <summary>
/// One row of the live table: the image, its state, when its work started and settled (none while waiting, or for an
/// image reused or skipped without work), and the last line its work printed.
/// </summary>
internal sealed record ImageRow(string Name, ImageState State, DateTimeOffset? Started, DateTimeOffset? Settled, string? LastLine)
{
    /// <summary>True once the image is built, reused, failed or skipped.</summary>
    public bool IsSettled => State >= ImageState.Built;

    /// <summary>The state as the table spells it (<c>building</c>).</summary>
    public static string Spell(ImageState state) => state.ToString().ToLowerInvariant();

    /// <summary>The state the executor reported (<see cref="Engine.ImageStates"/>), or null for one this table does not know.</summary>
    public static ImageState? Parse(string? state) => state switch
    {
        Engine.ImageStates.Waiting => ImageState.Waiting,
        Engine.ImageStates.Building => ImageState.Building,
        "built" => ImageState.Built,
        "reused" => ImageState.Reused,
        "failed" => ImageState.Failed,
        "skipped" => ImageState.Skipped,
        _ => null,
    };
}
