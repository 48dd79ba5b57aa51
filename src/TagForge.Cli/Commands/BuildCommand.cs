using System.CommandLine;
using TagForge.Release;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge build</c>: docker build with a generated tag and OCI labels; prints IMAGE:TAG.</summary>
internal static class BuildCommand
{
    public static Command Create()
    {
        var options = new ReleaseOptions(build: true, push: false);
        var command = new Command("build", "Build an image with a generated tag and OCI labels: prints IMAGE:TAG");
        options.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var result = await ReleaseRunner.RunAsync(options.ToRequest(parseResult), services, cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"{result.Image}:{result.Tag}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
