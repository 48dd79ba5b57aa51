using System.CommandLine;

namespace TagForge.Cli.Commands;

/// <summary><c>--quiet</c>: the option of every command that reports progress on stderr during long work.</summary>
internal static class ProgressOptions
{
    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress lines on stderr (warnings and errors still are)" };
}
