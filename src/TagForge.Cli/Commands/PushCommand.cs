using System.CommandLine;
using TagForge.Release;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge push</c>: push a local IMAGE:TAG (guarded), confirm the digest and record it.</summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var options = new ReleaseOptions(build: false, push: true);
        var command = new Command("push", "Push a local IMAGE:TAG without overwriting, confirm and record the digest: prints repository@digest");
        options.AddTo(command);
        var ecr = new EcrReleaseOptions();
        ecr.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var result = await ReleaseRunner.RunAsync(options.ToRequest(parseResult, ecr), services, cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(result.Reference).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
