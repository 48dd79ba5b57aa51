using System.CommandLine;
using TagForge.Ecr;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Values;

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
            var host = parseResult.GetValue(registry);
            using var context = shared.CreateContext(parseResult, host);
            using var cache = new EcrAuthorizationCache(context.Client);
            var login = await cache.GetAsync(cancellationToken).ConfigureAwait(false);
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            if (parseResult.GetValue(printPassword))
            {
                await stdout.WriteLineAsync(login.Password).ConfigureAwait(false);
                return 0;
            }

            var server = host ?? login.ServerAddress;
            await EcrDockerLogin.LoginAsync(parseResult.GetValue(docker)!, login, server, dockerConfig: null, cancellationToken).ConfigureAwait(false);
            await stderr.WriteLineAsync($"{CliApp.Prefix} logged docker in to {server} (ECR token valid until {login.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC)").ConfigureAwait(false);
            await stdout.WriteLineAsync(server).ConfigureAwait(false);
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
            var (host, repository) = EcrRepositoryName.Split(parseResult.GetValue(name)!);
            using var context = shared.CreateContext(parseResult, host);
            var result = await EcrRepositories.EnsureAsync(context.Client, repository, parseResult.GetValue(immutable), parseResult.GetValue(scanOnPush), cancellationToken).ConfigureAwait(false);
            var stderr = parseResult.InvocationConfiguration.Error;
            var scan = result.Repository.ImageScanningConfiguration?.ScanOnPush == true ? ", scan on push" : "";
            await stderr.WriteLineAsync(result.Created
                ? $"{CliApp.Prefix} created ECR repository {repository} ({result.TagMutability} tags{scan})"
                : $"{CliApp.Prefix} ECR repository {repository} exists ({result.TagMutability} tags{scan})").ConfigureAwait(false);
            if (!result.Created && parseResult.GetValue(immutable) && !result.Repository.IsImmutable)
            {
                await stderr.WriteLineAsync($"{CliApp.Prefix} warning: --immutable-tags does not change an existing repository; {repository} keeps MUTABLE tags").ConfigureAwait(false);
            }

            var uri = result.Repository.RepositoryUri ?? (host is null ? repository : $"{host}/{repository}");
            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"{uri} {result.TagMutability} {(result.Created ? "created" : "exists")}").ConfigureAwait(false);
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
            var text = parseResult.GetValue(source)!;
            if (!ImageReference.TryParse(text, out var reference, out var error))
            {
                throw new BadInputException(error);
            }

            if (reference.Tag is null && reference.Digest is null)
            {
                throw new BadInputException($"'{text}' names no tag or digest; say which image to tag (repo:tag or repo@sha256:…)");
            }

            var tag = parseResult.GetValue(newTag)!;
            if (Values.ImageTag.Explain(tag) is { } problem)
            {
                throw new BadInputException($"'{tag}' is not a valid tag: {problem}");
            }

            using var context = shared.CreateContext(parseResult, reference.Registry);
            var id = reference.Digest is { } digest ? new EcrImageId(ImageDigest: digest.ToString()) : new EcrImageId(ImageTag: reference.Tag);
            var result = await EcrImages.AddTagAsync(context.Client, reference.Repository, id, tag, cancellationToken).ConfigureAwait(false);
            var target = reference.With(tag, result.Digest);
            await parseResult.InvocationConfiguration.Error.WriteLineAsync(result.Changed
                ? $"{CliApp.Prefix} tagged {reference} as {tag} ({result.Digest}) in ECR"
                : $"{CliApp.Prefix} {reference.Name}:{tag} already points at {result.Digest}; nothing to do").ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(target.ToString()).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The options every ecr subcommand shares, and the client they make.</summary>
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

        public EcrContext CreateContext(ParseResult parseResult, string? registryHost)
        {
            var settings = new EcrSettings(parseResult.GetValue(_ecr), parseResult.GetValue(_region), parseResult.GetValue(_endpointUrl));
            var environment = ProcessEnvironment.Instance;
            var registry = settings.RegistryFor(registryHost, environment);
            if (registryHost is not null && registry is null)
            {
                throw new BadInputException($"'{registryHost}' is not an Amazon ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com); pass --ecr (and --region) for a private DNS name");
            }

            var logger = ReleaseOptions.CreateLogger(parseResult.InvocationConfiguration.Error);
            var credentials = new AwsCredentialChain(environment);
            return new EcrContext(new EcrClient(settings.ClientOptions(registry, environment), credentials, logger: logger), credentials);
        }
    }

    private sealed class EcrContext(EcrClient client, AwsCredentialChain credentials) : IDisposable
    {
        public EcrClient Client { get; } = client;

        public void Dispose()
        {
            Client.Dispose();
            credentials.Dispose();
        }
    }
}
