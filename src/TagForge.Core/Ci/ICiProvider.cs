using TagForge.IO;

namespace TagForge.Ci;

/// <summary>One CI system: how to recognise it and how to read its variables.</summary>
public interface ICiProvider
{
    /// <summary>The id it reports as <see cref="CiContext.Provider"/>.</summary>
    string Name { get; }

    /// <summary>True when <paramref name="environment"/> is this CI system's.</summary>
    bool IsActive(IEnvironmentVariables environment);

    /// <summary>Reads the build's facts from the system's variables.</summary>
    CiContext Read(IEnvironmentVariables environment);
}
