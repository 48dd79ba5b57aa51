namespace TagForge.Containers;

/// <summary>A builder's tool (podman, buildah, dotnet, buildx) failed; the message is one line, <see cref="DockerCommandException.OutputTail"/> its last lines.</summary>
public sealed class ContainerToolException : DockerCommandException
{
    /// <summary>Creates the exception.</summary>
    public ContainerToolException(string message, int exitCode, IReadOnlyList<string> outputTail, Exception? innerException = null)
        : base(message, exitCode, outputTail, innerException)
    {
    }
}
