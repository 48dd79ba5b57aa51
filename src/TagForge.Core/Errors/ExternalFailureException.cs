namespace TagForge.Errors;

/// <summary>Git, docker, a registry or the network failed (exit code 1).</summary>
public class ExternalFailureException : TagForgeException
{
    /// <summary>Creates the exception with a one-line, actionable message.</summary>
    public ExternalFailureException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override ExitCode ExitCode => ExitCode.ExternalFailure;
}
