using System.CommandLine;
using TagForge.Operations;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge logout REGISTRY</c>: removes the registry's entry from the auth file <c>tagforge login</c> writes.</summary>
internal static class LogoutCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("REGISTRY") { Description = "The registry host to forget" };
        var authFile = LoginCommand.AuthFileOption();
        var command = new Command("logout", "Remove a registry's stored credential from the auth file (nothing to remove is not an error)") { registry, authFile };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var result = await LoginOperation.LogoutAsync(parseResult.GetValue(registry)!, parseResult.GetValue(authFile), services).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Error.WriteLineAsync(result.Removed
                ? $"{CliApp.Prefix} logged out of {result.Registry}; removed from {result.AuthFile}"
                : $"{CliApp.Prefix} not logged in to {result.Registry} in {result.AuthFile}; nothing to remove").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
