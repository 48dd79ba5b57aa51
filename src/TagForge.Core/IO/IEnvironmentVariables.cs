namespace TagForge.IO;

/// <summary>
/// Reads environment variables. The core never reads the process environment directly, so tests and
/// build scripts can hand it any CI system's variables.
/// </summary>
public interface IEnvironmentVariables
{
    /// <summary>The variable's value, or <see langword="null"/> when it is unset or empty.</summary>
    string? Read(string name);
}
