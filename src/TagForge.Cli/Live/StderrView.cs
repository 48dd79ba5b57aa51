using TagForge.Ci;
using TagForge.IO;

namespace TagForge.Cli.Live;

/// <summary>How <c>release</c> shows its work on stderr.</summary>
internal enum StderrView
{
    /// <summary>Every line as it comes, naming its image when several are built at once (CI logs, pipes, files).</summary>
    Lines,

    /// <summary>The live table of <see cref="LiveTable"/> (a person at a terminal).</summary>
    Table,

    /// <summary><c>--quiet</c>: warnings and errors only.</summary>
    Quiet,
}

/// <summary>The one decision of which <see cref="StderrView"/> a run gets, and the facts about the terminal it needs.</summary>
internal static class StderrViews
{
    /// <summary>
    /// <c>--quiet</c> wins; else the table when stderr is a <paramref name="terminal"/> outside CI (a CI system's
    /// variables, or <c>CI</c> set) whose <c>TERM</c> is not <c>dumb</c>; else plain lines.
    /// </summary>
    public static StderrView Choose(bool quiet, bool terminal, IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return quiet ? StderrView.Quiet
            : terminal && !InCi(environment) && environment.Read("TERM") is not "dumb" ? StderrView.Table
            : StderrView.Lines;
    }

    /// <summary>True on a CI system TagForge knows, or where <c>CI</c> is set to anything but <c>false</c>/<c>0</c>.</summary>
    public static bool InCi(IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !CiDetector.Detect(environment).IsLocal || environment.Read("CI") is { } ci && ci is not ("false" or "0");
    }

    /// <summary>True when <paramref name="error"/> is this process's stderr and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter error) =>
        ReferenceEquals(RedactingWriter.Unwrap(error), Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Colours unless <c>NO_COLOR</c> is set (no-color.org).</summary>
    public static bool Colour(IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Read("NO_COLOR") is null;
    }

    /// <summary>The terminal's size now (it may be resized during a run); 80×24 when it cannot be asked.</summary>
    public static (int Width, int Height) TerminalSize()
    {
        try
        {
            var width = Console.WindowWidth;
            var height = Console.WindowHeight;
            return (width > 0 ? width : 80, height > 0 ? height : 24);
        }
        catch (IOException)
        {
            return (80, 24);
        }
        catch (PlatformNotSupportedException)
        {
            return (80, 24);
        }
    }
}
