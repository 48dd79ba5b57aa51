using System.CommandLine;
using TagForge.Errors;
using TagForge.Operations;
using TagForge.Values;

namespace TagForge.Cli.Commands;

/// <summary>
/// <c>tagforge login REGISTRY --username U --password-stdin</c>: checks the credential against the registry and stores
/// it where docker, podman, buildah and every TagForge command look. The password is read from stdin only.
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("REGISTRY") { Description = "The registry host, e.g. registry.example.com or 127.0.0.1:5000" };
        var username = new Option<string?>("--username", "-u") { Description = "The user name (leave out for Amazon ECR: the AWS credentials log in)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password or token from stdin (the only way to give it)" };
        var authFile = AuthFileOption();
        var insecure = new Option<string[]>("--insecure-registry") { Description = "Allow plain http or an unverified TLS certificate for this registry (loopback may always use plain http); repeatable" };
        var ecr = new EcrOptions();
        var command = new Command("login", "Check a registry credential against the registry and store it for docker, podman, buildah and TagForge (exit 1 when the registry refuses it)")
        {
            registry, username, passwordStdin, authFile, insecure,
        };
        ecr.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var user = parseResult.GetValue(username);
            var fromStdin = parseResult.GetValue(passwordStdin);
            RegistryCredential? credential = null;
            if (user is not null || fromStdin)
            {
                if (user is null || !fromStdin)
                {
                    throw new BadInputException("--username and --password-stdin go together (the password is read from stdin, never from the command line)");
                }

                var password = (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
                credential = password.Length > 0 ? new RegistryCredential(user, password) : throw new BadInputException("--password-stdin read an empty password from stdin");
            }

            using var services = CommandServices.Create(parseResult);
            var result = await LoginOperation.RunAsync(
                new LoginRequest
                {
                    Registry = parseResult.GetValue(registry)!,
                    Credential = credential,
                    AuthFile = parseResult.GetValue(authFile),
                    InsecureRegistries = parseResult.GetValue(insecure),
                    Ecr = ecr.Settings(parseResult),
                },
                services,
                cancellationToken).ConfigureAwait(false);
            var error = parseResult.InvocationConfiguration.Error;
            if (result.Warning is not null)
            {
                await error.WriteLineAsync($"{CliApp.Prefix} warning: {result.Warning}").ConfigureAwait(false);
            }

            var where = result.Endpoint is { } endpoint ? $" at {endpoint.BaseUri.GetLeftPart(UriPartial.Authority)}" : "";
            await error.WriteLineAsync($"{CliApp.Prefix} logged in to {result.Registry}{where} as {result.User}; stored in {result.AuthFile}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Where the login is kept; shared with logout.</summary>
    internal static Option<string?> AuthFileOption() => new("--authfile")
    {
        Description = $"The auth file (default: {Registry.Auth.DockerAuthFile.AuthFileVariable}, else $DOCKER_CONFIG/config.json, else ~/.docker/config.json)",
    };
}
