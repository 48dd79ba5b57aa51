namespace TagForge.Errors;

/// <summary>
/// The base of every failure TagForge reports on purpose. The message is one line a user can act on;
/// <see cref="ExitCode"/> says which kind of failure it is, so the edge (CLI, build script) decides what to do.
/// </summary>
public abstract class TagForgeException : Exception
{
    /// <summary>Creates the exception with a one-line, actionable message.</summary>
    protected TagForgeException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The exit code a command line should end with for this failure.</summary>
    public abstract ExitCode ExitCode { get; }
}
