namespace TagForge.Containers;

/// <summary>How to run a builder's command-line tool (docker, podman, buildah, dotnet).</summary>
public sealed record ToolOptions
{
    /// <summary>Variables set (or, with a null value, removed) for the tool's process, on top of this process's.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Receives the tool's output live, line by line; the logger when unset.</summary>
    public Action<string>? Output { get; init; }

    /// <summary>How many of the last output lines a failure keeps; 20.</summary>
    public int? TailLines { get; init; }
}
