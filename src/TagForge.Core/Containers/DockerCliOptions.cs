namespace TagForge.Containers;

/// <summary>How to run the docker CLI.</summary>
public sealed record DockerCliOptions
{
    /// <summary>The executable: <c>docker</c> (on PATH) when unset. <c>--docker PATH</c> / <c>TAGFORGE_DOCKER</c>.</summary>
    public string? Executable { get; init; }

    /// <summary>Variables set (or, with a null value, removed) for docker's process, on top of this process's.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Receives docker's output live, line by line (the CLI prints progress on stderr); the logger when unset.</summary>
    public Action<string>? Output { get; init; }

    /// <summary>How many of the last output lines a failure keeps; 20.</summary>
    public int? TailLines { get; init; }
}
