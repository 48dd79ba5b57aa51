namespace TagForge.Operations;

/// <summary>What every deployment-file operation (pin, lint, verify, resolve) is given: the files to read.</summary>
public abstract record DeploymentRequest
{
    /// <summary>
    /// Deployment files or directories (walked for <c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c>), relative to the
    /// services' working directory and named as given in findings; <c>-</c> is <see cref="StandardInput"/>.
    /// </summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>The bytes the path <c>-</c> stands for, read by the caller (the CLI reads its stdin).</summary>
    public byte[]? StandardInput { get; init; }
}
