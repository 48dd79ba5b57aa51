using System.CommandLine;
using System.CommandLine.Parsing;
using TagForge.Errors;
using TagForge.Release;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Cli.Commands;

/// <summary>The options of build, push and release: the image, the docker build, the registry, the record.</summary>
internal sealed class ReleaseOptions
{
    private readonly bool _build;
    private readonly bool _push;

    public ReleaseOptions(bool build, bool push)
    {
        _build = build;
        _push = push;
    }

    public TagOptions Tag { get; } = new();

    public Option<string?> Image { get; } = new("--image", "-i") { Description = "The repository, without a tag: registry.example.com/team/app (default: TAGFORGE_IMAGE, else image: in tagforge.yml)" };

    public Option<string?> Config { get; } = new("--config") { Description = "The config file (default: TAGFORGE_CONFIG, else tagforge.yml or .tagforge.yml here or up to the repository root)" };

    public Argument<string[]> Arguments { get; } = new("CONTEXT")
    {
        Description = "The build context (default: the current directory); docker build arguments may follow after --",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> Dockerfile { get; } = new("--file", "-f") { Description = "The Dockerfile (default: CONTEXT/Dockerfile)" };

    public Option<string[]> BuildArgs { get; } = new("--build-arg") { Description = "A build argument NAME=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };

    public Option<bool> NoLabels { get; } = new("--no-labels") { Description = "Leave out the OCI labels (org.opencontainers.image.revision, .created, .version, .source)" };

    public Option<string?> Target { get; } = new("--target") { Description = "The build stage to build" };

    public Option<string?> Platform { get; } = new("--platform") { Description = "The platform to build for, e.g. linux/amd64 (recorded)" };

    public Option<string[]> ExtraTags { get; } = new("--extra-tag") { Description = "Another tag for the same image, e.g. latest (repeatable; pushed without the overwrite guard)" };

    public Option<string?> Record { get; } = new("--record") { Description = $"The build record to merge the image into (default: {Records.BuildRecordFile.DefaultPath})" };

    public Option<bool> NoRecord { get; } = new("--no-record") { Description = "Write no build record" };

    public Option<bool> RemoveLocal { get; } = new("--rm-local") { Description = "Remove the local tags after a successful push" };

    public Option<bool> AllowOverwrite { get; } = new("--allow-overwrite") { Description = "Push even when the tag exists in the registry with another digest" };

    public Option<string?> Dotenv { get; } = new("--dotenv") { Description = "Also write IMAGE_TAG, IMAGE_DIGEST and IMAGE_REF to this dotenv file" };

    public Option<string?> Docker { get; } = new("--docker") { Description = "The docker CLI to run (default: TAGFORGE_DOCKER, else docker on PATH)" };

    public Option<string[]> InsecureRegistries { get; } = new("--insecure-registry") { Description = "Speak plain http to this registry host (repeatable; loopback always is)" };

    public Option<string?> Username { get; } = new("--username", "-u") { Description = "Registry user name (with --password-stdin); else TAGFORGE_REGISTRY_USERNAME/PASSWORD, else docker's config" };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the registry password or token from stdin" };

    public Option<string?> FixedTag { get; } = new("--tag") { Description = "The tag of the local image IMAGE:TAG to push (instead of generating one)", Required = true };

    public Option<string?> Builder { get; } = new("--builder") { Description = "docker, podman, buildah or dotnet (default: TAGFORGE_BUILDER, else builder: in tagforge.yml, else what is installed, docker first)" };

    public Option<string?> Project { get; } = new("--project") { Description = "The project --builder dotnet publishes with -t:PublishContainer (default: TAGFORGE_PROJECT, else project: in tagforge.yml)" };

    public Option<string?> StorageDriver { get; } = new("--storage-driver") { Description = "podman's and buildah's storage driver, e.g. vfs where overlay is not available (default: TAGFORGE_STORAGE_DRIVER, else the tool's own)" };

    public Option<string?> DockerContext { get; } = new("--context") { Description = "The docker context to build and push with (handed to docker as DOCKER_CONTEXT)" };

    public void AddTo(Command command)
    {
        command.Add(Builder);
        command.Add(StorageDriver);
        command.Add(DockerContext);
        if (_build)
        {
            command.Add(Project);
        }

        command.Add(Image);
        command.Add(Config);
        if (_build)
        {
            Tag.AddTo(command);
            command.Add(Arguments);
            command.Add(Dockerfile);
            command.Add(BuildArgs);
            command.Add(Target);
            command.Add(Platform);
            command.Add(NoLabels);
        }
        else
        {
            command.Add(FixedTag);
            command.Add(Tag.Repository);
        }

        command.Add(ExtraTags);
        command.Add(Docker);
        if (_push)
        {
            command.Add(Record);
            command.Add(NoRecord);
            command.Add(RemoveLocal);
            command.Add(AllowOverwrite);
            command.Add(Dotenv);
            command.Add(InsecureRegistries);
            command.Add(Username);
            command.Add(PasswordStdin);
        }
    }

    /// <summary>The request the flags describe; unset flags stay null for the release to layer (TAGFORGE_*, tagforge.yml, defaults).</summary>
    public ReleaseRequest ToRequest(ParseResult parseResult, EcrReleaseOptions? ecr = null)
    {
        var (context, passThrough) = _build ? SplitArguments(parseResult) : (null, []);
        return new ReleaseRequest
        {
            Image = parseResult.GetValue(Image),
            ConfigPath = parseResult.GetValue(Config),
            ContextPath = context,
            Dockerfile = _build ? parseResult.GetValue(Dockerfile) : null,
            Tag = _build ? Tag.ToRequest(parseResult) : new Tagging.TagRequest { RepositoryPath = parseResult.GetValue(Tag.Repository) },
            FixedTag = _build ? null : parseResult.GetValue(FixedTag),
            SkipBuild = !_build,
            SkipPush = !_push,
            AdditionalTags = parseResult.GetValue(ExtraTags) ?? [],
            BuildArgs = _build ? parseResult.GetValue(BuildArgs) ?? [] : [],
            Target = _build ? parseResult.GetValue(Target) : null,
            SkipLabels = _build && parseResult.GetValue(NoLabels),
            Platform = _build ? parseResult.GetValue(Platform) : null,
            ExtraBuildArguments = passThrough,
            RecordPath = _push ? parseResult.GetValue(Record) : null,
            NoRecord = _push && parseResult.GetValue(NoRecord),
            RemoveLocal = _push && parseResult.GetValue(RemoveLocal),
            AllowOverwrite = _push && parseResult.GetValue(AllowOverwrite),
            DotenvPath = _push ? parseResult.GetValue(Dotenv) : null,
            DockerExecutable = parseResult.GetValue(Docker),
            Builder = parseResult.GetValue(Builder) is { } builder ? Containers.Builders.Parse(builder) : null,
            Project = _build ? parseResult.GetValue(Project) : null,
            StorageDriver = parseResult.GetValue(StorageDriver),
            DockerContext = parseResult.GetValue(DockerContext),
            Registry = new RegistryAccess
            {
                Credential = _push ? ReadCredential(parseResult) : null,
                InsecureRegistries = _push ? parseResult.GetValue(InsecureRegistries) : null,
                Ecr = ecr?.Settings(parseResult) ?? new(),
            },
            CreateRepository = ecr?.CreateRepository(parseResult) ?? false,
            ImmutableTags = ecr?.ImmutableTags(parseResult) ?? false,
        };
    }

    private RegistryCredential? ReadCredential(ParseResult parseResult)
    {
        var user = parseResult.GetValue(Username);
        var fromStdin = parseResult.GetValue(PasswordStdin);
        if (user is null && !fromStdin)
        {
            return null;
        }

        if (user is null || !fromStdin)
        {
            throw new BadInputException("--username and --password-stdin go together (the password is read from stdin, never from the command line)");
        }

        var password = Console.In.ReadToEnd().TrimEnd('\r', '\n');
        return password.Length > 0
            ? new RegistryCredential(user, password)
            : throw new BadInputException("--password-stdin read an empty password from stdin");
    }

    /// <summary>CONTEXT is the one argument before <c>--</c>; everything after <c>--</c> goes to docker build.</summary>
    private (string? Context, string[] PassThrough) SplitArguments(ParseResult parseResult)
    {
        var values = parseResult.GetValue(Arguments) ?? [];
        var tokens = parseResult.Tokens;
        var doubleDash = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.DoubleDash)
            {
                doubleDash = i;
                break;
            }
        }

        var passThroughCount = doubleDash < 0 ? 0 : tokens.Count - doubleDash - 1;
        var before = values.Length - passThroughCount;
        if (before > 1)
        {
            throw new BadInputException($"one build context expected, got {before} ({string.Join(' ', values[..before])}); put docker build arguments after --");
        }

        return (before == 1 ? values[0] : null, values[before..]);
    }
}
