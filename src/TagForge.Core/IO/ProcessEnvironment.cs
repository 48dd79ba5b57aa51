namespace TagForge.IO;

/// <summary>The environment of the current process.</summary>
public sealed class ProcessEnvironment : IEnvironmentVariables
{
    /// <summary>The one instance.</summary>
    public static ProcessEnvironment Instance { get; } = new();

    private ProcessEnvironment()
    {
    }

    /// <inheritdoc />
    public string? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
