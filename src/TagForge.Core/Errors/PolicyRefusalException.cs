namespace TagForge.Errors;

/// <summary>TagForge refused on purpose: an overwrite, a dirty tree, a floating tag (exit code 3).</summary>
public class PolicyRefusalException : TagForgeException
{
    /// <summary>Creates the exception with a one-line, actionable message.</summary>
    public PolicyRefusalException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override ExitCode ExitCode => ExitCode.PolicyRefusal;
}
