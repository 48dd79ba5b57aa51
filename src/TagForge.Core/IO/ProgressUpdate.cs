namespace TagForge.IO;

/// <summary>What a <see cref="ProgressUpdate"/> counts.</summary>
public enum ProgressUnit
{
    /// <summary>Bytes moved (a blob copy); <see cref="ProgressUpdate.Items"/> counts the blobs.</summary>
    Bytes,

    /// <summary>Files read or written.</summary>
    Files,

    /// <summary>Distinct references asked of a registry.</summary>
    References,

    /// <summary>Images of a release settled (built, reused, failed or skipped), each report naming one image and its state.</summary>
    Images,
}

/// <summary>
/// One progress report of a long operation, as data: the core only counts, the edge (the CLI's stderr lines, a build
/// script's <see cref="IProgress{T}"/>) decides how to show it. Reported by <see cref="ProgressMeter"/>.
/// </summary>
/// <param name="Activity">What is being done, e.g. <c>copying to registry/prod/app</c> or <c>verify: registry answers</c>.</param>
/// <param name="Unit">What <paramref name="Done"/> and <paramref name="Total"/> count.</param>
/// <param name="Done">How much is done so far.</param>
/// <param name="Total">How much there is in all, when known.</param>
/// <param name="Elapsed">Time since the activity started.</param>
public sealed record ProgressUpdate(string Activity, ProgressUnit Unit, long Done, long? Total, TimeSpan Elapsed)
{
    /// <summary>Whole items done (blobs of a copy), when the unit is finer than the item.</summary>
    public int? Items { get; init; }

    /// <summary>Whole items in all, when known.</summary>
    public int? ItemsTotal { get; init; }

    /// <summary>True for the last report of the activity (everything it was going to do is done).</summary>
    public bool Finished { get; init; }

    /// <summary>The one of several things this report is about (<c>release --all</c>: an image's name), with its <see cref="State"/>.</summary>
    public string? Subject { get; init; }

    /// <summary>Where <see cref="Subject"/> stands now (<c>release --all</c>: waiting, building, built, reused, failed, skipped).</summary>
    public string? State { get; init; }

    /// <summary>The average rate since the start, per second; null before any time has passed.</summary>
    public double? RatePerSecond => Elapsed > TimeSpan.Zero ? Done / Elapsed.TotalSeconds : null;

    /// <summary>Whole percent done, when the total is known and not zero.</summary>
    public int? Percent => Total is > 0 ? (int)Math.Min(100, Done * 100 / Total.Value) : null;
}
