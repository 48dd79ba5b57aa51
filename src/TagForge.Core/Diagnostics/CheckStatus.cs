namespace TagForge.Diagnostics;

/// <summary>How a check came out.</summary>
public enum CheckStatus
{
    /// <summary>Works.</summary>
    Ok,

    /// <summary>Works, with a caveat worth knowing.</summary>
    Warning,

    /// <summary>Broken: a release would fail here.</summary>
    Failed,
}
