namespace TagForge.Containers;

/// <summary>
/// The docker command lines as data: what <see cref="DockerCli"/> runs and <c>release --dry-run</c> prints, argument by
/// argument. Pure: no docker is run.
/// </summary>
public class DockerArgumentsTests
{
    private const string Scratch = "/scratch";
    private const string Context = "/src/app";

    private static readonly KeyValuePair<string, string>[] Labels =
    [
        new("org.opencontainers.image.revision", "abc123"),
        new("org.opencontainers.image.version", "v1"),
    ];

    /// <summary>Each build request, the exact arguments it renders, and whether its labels go into a Dockerfile copy.</summary>
    private static readonly Dictionary<string, (DockerBuildRequest Request, string[] Arguments, bool LabelsInCopy)> Builds = new()
    {
        ["context only"] = (
            new DockerBuildRequest { ContextPath = Context },
            ["build", "--iidfile", "/scratch/iid", "--file", "/src/app/Dockerfile", Context],
            false),
        ["a Dockerfile of its own"] = (
            new DockerBuildRequest { ContextPath = Context, Dockerfile = "/src/docker/app.Dockerfile" },
            ["build", "--iidfile", "/scratch/iid", "--file", "/src/docker/app.Dockerfile", Context],
            false),
        ["tags, build args, platform and extra arguments"] = (
            new DockerBuildRequest
            {
                ContextPath = Context,
                Tags = ["reg.example/app:v1", "reg.example/app:latest"],
                BuildArgs = ["VERSION=1.2", "TOKEN"],
                Platform = "linux/arm64",
                ExtraArguments = ["--pull", "--no-cache"],
            },
            [
                "build", "--iidfile", "/scratch/iid", "--file", "/src/app/Dockerfile",
                "--tag", "reg.example/app:v1", "--tag", "reg.example/app:latest",
                "--build-arg", "VERSION=1.2", "--build-arg", "TOKEN",
                "--platform", "linux/arm64",
                "--pull", "--no-cache",
                Context,
            ],
            false),
        ["labels without a target: the Dockerfile copy in the scratch directory"] = (
            new DockerBuildRequest { ContextPath = Context, Tags = ["reg.example/app:v1"], Labels = Labels },
            ["build", "--iidfile", "/scratch/iid", "--file", "/scratch/Dockerfile", "--tag", "reg.example/app:v1", Context],
            true),
        ["labels with a target: --label arguments"] = (
            new DockerBuildRequest { ContextPath = Context, Tags = ["reg.example/app:v1"], Labels = Labels, Target = "final", Platform = "linux/amd64" },
            [
                "build", "--iidfile", "/scratch/iid", "--file", "/src/app/Dockerfile",
                "--tag", "reg.example/app:v1",
                "--label", "org.opencontainers.image.revision=abc123", "--label", "org.opencontainers.image.version=v1",
                "--target", "final",
                "--platform", "linux/amd64",
                Context,
            ],
            false),
        ["a target without labels"] = (
            new DockerBuildRequest { ContextPath = Context, Target = "test" },
            ["build", "--iidfile", "/scratch/iid", "--file", "/src/app/Dockerfile", "--target", "test", Context],
            false),
    };

    public static TheoryData<string> BuildCases => [.. Builds.Keys];

    [Theory]
    [MemberData(nameof(BuildCases))]
    public void Build_renders_each_request_as_its_exact_arguments_with_the_context_last(string @case)
    {
        var (request, arguments, labelsInCopy) = Builds[@case];

        var build = DockerArguments.Build(request, Scratch);

        Assert.Equal(arguments, build.Arguments);
        Assert.Equal("/scratch/iid", build.IidFile);
        Assert.Equal(labelsInCopy ? "/scratch/Dockerfile" : null, build.LabelledDockerfile);
        Assert.Equal(labelsInCopy, build.LabelInstruction is not null);
        Assert.Equal(Context, build.Arguments[^1]);
    }

    [Fact]
    public void Labels_without_a_target_become_one_LABEL_instruction_in_order()
    {
        var build = DockerArguments.Build(new DockerBuildRequest { ContextPath = Context, Labels = Labels }, Scratch);

        Assert.Equal("LABEL \"org.opencontainers.image.revision\"=\"abc123\" \"org.opencontainers.image.version\"=\"v1\"", build.LabelInstruction);
        Assert.DoesNotContain("--label", build.Arguments);
    }

    [Fact]
    public void The_LABEL_instruction_escapes_quotes_and_backslashes()
    {
        var build = DockerArguments.Build(
            new DockerBuildRequest { ContextPath = Context, Labels = [new("say", @"he said ""hi"" \ bye")] }, Scratch);

        Assert.Equal(@"LABEL ""say""=""he said \""hi\"" \\ bye""", build.LabelInstruction);
    }

    [Theory]
    [InlineData("reg.example/app:v1", null, new[] { "push", "reg.example/app:v1" })]
    [InlineData("reg.example/app:v1", "/tmp/docker-config", new[] { "--config", "/tmp/docker-config", "push", "reg.example/app:v1" })]
    public void Push_puts_a_config_directory_before_the_verb(string image, string? config, string[] arguments) =>
        Assert.Equal(arguments, DockerArguments.Push(image, config));

    [Theory]
    [InlineData(null, new[] { "login", "--username", "ci-bot", "--password-stdin", "reg.example" })]
    [InlineData("/tmp/docker-config", new[] { "--config", "/tmp/docker-config", "login", "--username", "ci-bot", "--password-stdin", "reg.example" })]
    public void Login_takes_the_password_from_stdin_never_from_the_arguments(string? config, string[] arguments)
    {
        var login = DockerArguments.Login("reg.example", "ci-bot", config);

        Assert.Equal(arguments, login);
        Assert.DoesNotContain("--password", login);
        Assert.DoesNotContain(login, argument => argument.StartsWith("--password=", StringComparison.Ordinal) || argument == "-p");
    }

    [Fact]
    public void Tag_names_the_source_then_the_target() =>
        Assert.Equal(["tag", "sha256:0123", "reg.example/app:latest"], DockerArguments.Tag("sha256:0123", "reg.example/app:latest"));

    [Theory]
    [InlineData(new[] { "reg.example/app:v1" }, new[] { "rmi", "reg.example/app:v1" })]
    [InlineData(new[] { "reg.example/app:v1", "reg.example/app:latest" }, new[] { "rmi", "reg.example/app:v1", "reg.example/app:latest" })]
    public void Remove_names_every_image_in_one_rmi(string[] images, string[] arguments) =>
        Assert.Equal(arguments, DockerArguments.Remove(images));
}
