namespace TagForge.Operations;

/// <summary>One value of an image's entry in the build record (<c>tagforge record get</c>), for a deploy script.</summary>
public sealed record RecordGetRequest
{
    /// <summary>The build record; <c>tagforge.json</c> when null.</summary>
    public string? Record { get; init; }

    /// <summary>The repository as released (or its normalised name). Required.</summary>
    public string? Image { get; init; }

    /// <summary>The value wanted; <see cref="RecordField.Reference"/> when null.</summary>
    public RecordField? Field { get; init; }

    /// <summary>A platform of an index (<c>linux/arm64</c>): its manifest's digest instead of the index's.</summary>
    public string? Platform { get; init; }
}
