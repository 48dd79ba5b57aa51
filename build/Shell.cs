using CliWrap;

namespace TagForge.Build;

/// <summary>Runs the tools the build drives (dotnet, docker), streaming their output, through CliWrap.</summary>
internal static class Shell
{
    public static void Run(string executable, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Console.Error.WriteLine($"build: $ {executable} {string.Join(' ', arguments)}");
        var command = CliWrap.Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithStandardOutputPipe(PipeTarget.ToStream(Console.OpenStandardOutput()))
            .WithStandardErrorPipe(PipeTarget.ToStream(Console.OpenStandardError()))
            .WithValidation(CommandResultValidation.None);
        var result = command.ExecuteAsync().GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new BuildFailedException($"{executable} {string.Join(' ', arguments)} exited with {result.ExitCode}");
        }
    }
}
