using TagForge.Errors;

namespace TagForge.Containers;

/// <summary>A docker command failed; the message is one line, <see cref="OutputTail"/> holds docker's last lines.</summary>
public class DockerCommandException : ExternalFailureException
{
    /// <summary>Creates the exception.</summary>
    public DockerCommandException(string message, int exitCode, IReadOnlyList<string> outputTail, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCodeOfDocker = exitCode;
        OutputTail = outputTail;
    }

    /// <summary>docker's exit code (-1 when it did not run).</summary>
    public int ExitCodeOfDocker { get; }

    /// <summary>The last lines docker printed.</summary>
    public IReadOnlyList<string> OutputTail { get; }
}
