namespace TagForge.Errors;

/// <summary>The user's input is wrong: a flag, a template, a file (exit code 2).</summary>
public class BadInputException : TagForgeException
{
    /// <summary>Creates the exception with a one-line, actionable message.</summary>
    public BadInputException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override ExitCode ExitCode => ExitCode.BadInput;
}
