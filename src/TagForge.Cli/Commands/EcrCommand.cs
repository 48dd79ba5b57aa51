using System.CommandLine;
using TagForge.Ecr;
using TagForge.Operations;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge ecr</c>: Amazon ECR login, repositories and registry-side tagging.</summary>
internal static class EcrCommand
{
    public static Command Create()
    {
        var command = new Command("ecr", "Amazon ECR: log docker in, create repositories, tag images registry-side");
        command.Add(CreateLogin());
        command.Add(CreateEnsureRepo());
        command.Add(CreateTag());
        return command;
    }

    private static Command CreateLogin()
    {
        var shared = new SharedOptions();
        var registry = new Argument<string?>("REGISTRY")
        {
            Description = "The registry to log in to (<account>.dkr.ecr.<region>.amazonaws.com); default: the caller's own, from the token",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var printPassword = new Option<bool>("--print-password") { Description = "Print the registry password to stdout for other tools instead of running docker login" };
        var docker = new Option<string>("--docker") { Description = "The docker CLI to log in", DefaultValueFactory = _ => "docker" };
        var command = new Command("login", "Log the Docker CLI in to ECR with --password-stdin (replaces 'aws ecr get-login')") { registry, printPassword, docker };
        shared.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var result = await EcrLoginOperation.RunAsync(
                new EcrLoginRequest
                {
                    Registry = parseResult.GetValue(registry),
                    Ecr = shared.Settings(parseResult),
                    DockerExecutable = parseResult.GetValue(docker),
                    PasswordOnly = parseResult.GetValue(printPassword),
                },
                services,
                cancellationToken).ConfigureAwait(false);
            var stdout = parseResult.InvocationConfiguration.Output;
            if (!result.DockerLoggedIn)
            {
                await stdout.WriteLineAsync(result.Login.Password).ConfigureAwait(false);
                return 0;
            }

            await parseResult.InvocationConfiguration.Error.WriteLineAsync(
                $"{CliApp.Prefix} logged docker in to {result.Server} (ECR token valid until {result.Login.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC)").ConfigureAwait(false);
            await stdout.WriteLineAsync(result.Server).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command CreateEnsureRepo()
    {
        var shared = new SharedOptions();
        var name = new Argument<string>("NAME") { Description = "The repository: 'app', 'team/app' or '<account>.dkr.ecr.<region>.amazonaws.com/app'" };
        var immutable = new Option<bool>("--immutable-tags") { Description = "Create it with IMMUTABLE tags (ECR then refuses to move a tag)" };
        var scanOnPush = new Option<bool>("--scan-on-push") { Description = "Create it with scan on push" };
        var command = new Command("ensure-repo", "Create an ECR repository when it is missing; print its URI and tag mutability") { name, immutable, scanOnPush };
        shared.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var result = await EcrEnsureRepositoryOperation.RunAsync(
                new EcrEnsureRepositoryRequest
                {
                    Name = parseResult.GetValue(name)!,
                    ImmutableTags = parseResult.GetValue(immutable),
                    ScanOnPush = parseResult.GetValue(scanOnPush),
                    Ecr = shared.Settings(parseResult),
                },
                services,
                cancellationToken).ConfigureAwait(false);
            var stderr = parseResult.InvocationConfiguration.Error;
            var scan = result.ScanOnPush ? ", scan on push" : "";
            await stderr.WriteLineAsync(result.Created
                ? $"{CliApp.Prefix} created ECR repository {result.Repository} ({result.TagMutability} tags{scan})"
                : $"{CliApp.Prefix} ECR repository {result.Repository} exists ({result.TagMutability} tags{scan})").ConfigureAwait(false);
            if (result.KeptMutableTags)
            {
                await stderr.WriteLineAsync($"{CliApp.Prefix} warning: --immutable-tags does not change an existing repository; {result.Repository} keeps MUTABLE tags").ConfigureAwait(false);
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"{result.Uri} {result.TagMutability} {(result.Created ? "created" : "exists")}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command CreateTag()
    {
        var shared = new SharedOptions();
        var source = new Argument<string>("SOURCE_REF") { Description = "The image to tag, by tag or digest: <registry>/<repo>:<tag> or <registry>/<repo>@sha256:…" };
        var newTag = new Argument<string>("NEW_TAG") { Description = "The tag to add" };
        var command = new Command("tag", "Add a tag to an image in ECR without pulling it (BatchGetImage + PutImage); never moves an existing tag") { source, newTag };
        shared.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var result = await EcrTagOperation.RunAsync(
                new EcrTagRequest { Source = parseResult.GetValue(source)!, NewTag = parseResult.GetValue(newTag)!, Ecr = shared.Settings(parseResult) },
                services,
                cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Error.WriteLineAsync(result.Changed
                ? $"{CliApp.Prefix} tagged {result.Source} as {result.Tag} ({result.Digest}) in ECR"
                : $"{CliApp.Prefix} {result.Source.Name}:{result.Tag} already points at {result.Digest}; nothing to do").ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(result.Target.ToString()).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The options every ecr subcommand shares (their help differs from <see cref="EcrOptions"/>'s).</summary>
    private sealed class SharedOptions
    {
        private readonly Option<string?> _region = new("--region") { Description = "AWS region (default: the registry host's, else AWS_REGION, else the profile's)" };
        private readonly Option<string?> _endpointUrl = new("--endpoint-url") { Description = "ECR API endpoint (default: AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL, else the regional endpoint)" };
        private readonly Option<bool> _ecr = new("--ecr") { Description = "Treat the registry as ECR even though its name is not <account>.dkr.ecr.<region>.amazonaws.com (private DNS)" };

        public void AddTo(Command command)
        {
            command.Add(_region);
            command.Add(_endpointUrl);
            command.Add(_ecr);
        }

        public EcrSettings Settings(ParseResult parseResult) =>
            new(parseResult.GetValue(_ecr), parseResult.GetValue(_region), parseResult.GetValue(_endpointUrl));
    }
}
