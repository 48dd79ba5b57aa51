using TagForge.Errors;
using TagForge.IO;
using TagForge.Values;

namespace TagForge.Containers;

/// <summary>The builders' command lines and choices, as data (no tool runs): what the dry run prints is what runs, and no secret is on argv.</summary>
public class BuilderArgumentsTests
{
    private static readonly DockerBuildRequest Build = new()
    {
        ContextPath = "/src",
        Tags = ["r.example/app:t1", "r.example/app:latest"],
        BuildArgs = ["A=1"],
        Labels = [new("org.opencontainers.image.revision", "abc")],
        Target = "final",
        Platform = "linux/amd64",
        SourceDateEpoch = 1700000000,
        ExtraArguments = ["--pull=never"],
    };

    [Fact]
    public void Buildah_builds_with_bud_the_storage_driver_first_and_the_commit_time_as_timestamp()
    {
        var build = OciToolArguments.Build(BuilderKind.Buildah, "vfs", Build, "/tmp/s");
        var arguments = build.Arguments;

        Assert.Equal("/tmp/s/iid", build.IidFile);
        Assert.Null(build.LabelledDockerfile);
        Assert.Equal(
            ["--storage-driver", "vfs", "bud", "--iidfile", "/tmp/s/iid", "--file", "/src/Dockerfile", "--tag", "r.example/app:t1", "--tag", "r.example/app:latest",
             "--build-arg", "A=1", "--label", "org.opencontainers.image.revision=abc", "--target", "final", "--platform", "linux/amd64", "--timestamp", "1700000000", "--pull=never", "/src"],
            arguments);
    }

    [Fact]
    public void Podman_builds_with_build_and_pushes_with_a_digest_file_an_auth_file_and_tls_off_for_plain_http()
    {
        Assert.Equal("build", OciToolArguments.Build(BuilderKind.Podman, null, Build, "/tmp/s").Arguments[0]);
        var final = OciToolArguments.Build(BuilderKind.Podman, null, Build with { Target = null }, "/tmp/s");
        Assert.Equal(["build", "--iidfile", "/tmp/s/iid", "--file", "/tmp/s/Dockerfile"], final.Arguments.Take(5));
        Assert.DoesNotContain("--label", final.Arguments);
        Assert.Equal("LABEL \"org.opencontainers.image.revision\"=\"abc\"", final.LabelInstruction);
        Assert.Equal(
            ["push", "--authfile", "/tmp/a.json", "--tls-verify=false", "--digestfile", "/tmp/d", "r.example/app:t1"],
            OciToolArguments.Push(null, "r.example/app:t1", "/tmp/d", "/tmp/a.json", plainHttp: true));
        Assert.Equal(["push", "--digestfile", "/tmp/d", "r.example/app:t1"], OciToolArguments.Push(null, "r.example/app:t1", "/tmp/d", null, plainHttp: false));
    }

    [Fact]
    public void The_podman_plan_names_a_placeholder_auth_file_and_never_the_password()
    {
        var builder = new OciToolBuilder(BuilderKind.Podman, storageDriver: "vfs");

        var plan = builder.Plan(Build, ["r.example/app:t1", "r.example/app:latest"], "<image-id>", new PushTarget("r.example", new RegistryCredential("bot", "s3cret"), PlainHttp: false), removeLocal: true, "<temp>");

        Assert.Equal(["podman", "--storage-driver", "vfs", "tag", "<image-id>", "r.example/app:latest"], plan.Commands[1]);
        Assert.Equal(["podman", "--storage-driver", "vfs", "push", "--authfile", OciToolBuilder.AuthFilePlaceholder, "--digestfile", "<temp>/digest", "r.example/app:t1"], plan.Commands[2]);
        Assert.Equal(["podman", "--storage-driver", "vfs", "rmi", "r.example/app:t1", "r.example/app:latest"], plan.Commands[^1]);
        Assert.DoesNotContain(plan.Commands.SelectMany(command => command), argument => argument.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Dotnet_publish_gets_tag_repository_registry_and_reads_the_digest_property_and_credentials_go_to_the_environment()
    {
        var request = new DotnetPublishRequest
        {
            Project = "/src/app.csproj", Registry = "127.0.0.1:5000", Repository = "team/app", Tag = "t1",
            Labels = [new("dev.tagforge.build", "local/local")], Credential = new RegistryCredential("bot", "s3cret"), PlainHttp = true,
            ExtraArguments = ["-p:ContainerBaseImage=127.0.0.1:5000/base:1"],
        };

        var arguments = DotnetPublisher.Arguments(request, "/tmp/s");
        var environment = DotnetPublisher.Environment(request, insecureAlready: "other:5000");

        Assert.Equal(
            ["publish", "/src/app.csproj", "-t:PublishContainer", "-p:ContainerRegistry=127.0.0.1:5000", "-p:ContainerRepository=team/app", "-p:ContainerImageTag=t1",
             "-p:CustomAfterMicrosoftCommonTargets=/tmp/s/tagforge-labels.targets", "-getProperty:GeneratedContainerDigest", "-getResultOutputFile:/tmp/s/digest", "-tl:off", "-v:m",
             "-p:ContainerBaseImage=127.0.0.1:5000/base:1"],
            arguments);
        Assert.DoesNotContain(arguments, argument => argument.Contains("s3cret", StringComparison.Ordinal));
        Assert.Equal(("bot", "s3cret"), (environment[DotnetPublisher.UsernameVariable], environment[DotnetPublisher.PasswordVariable]));
        Assert.Equal("other:5000;127.0.0.1:5000", environment[DotnetPublisher.InsecureVariable]);
        Assert.Equal("127.0.0.1:5000", DotnetPublisher.Environment(request, insecureAlready: "127.0.0.1:5000")[DotnetPublisher.InsecureVariable]);
    }

    [Fact]
    public void Builders_are_parsed_by_name_and_an_unknown_one_is_bad_input_listing_them()
    {
        Assert.Equal(BuilderKind.Podman, Builders.Parse("Podman"));
        var error = Assert.Throws<BadInputException>(() => Builders.Parse("kaniko"));
        Assert.Contains("docker, podman, buildah, dotnet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detection_prefers_docker_then_podman_then_buildah_from_PATH_only()
    {
        using var directory = new Testing.TempDirectory("builders");
        directory.Write("only-podman/podman", "");
        directory.Write("only-buildah/buildah", "");
        directory.Write("both/docker", "");
        directory.Write("both/podman", "");

        BuilderKind Detect(string folder) => Builders.Detect(new DictionaryEnvironment(new Dictionary<string, string> { ["PATH"] = directory.Combine(folder) }));

        Assert.Equal(BuilderKind.Podman, Detect("only-podman"));
        Assert.Equal(BuilderKind.Buildah, Detect("only-buildah"));
        Assert.Equal(BuilderKind.Docker, Detect("both"));
        Assert.Equal(BuilderKind.Docker, Detect("empty"));
    }

    [Fact]
    public void A_reset_naming_the_registry_blames_the_registry_and_a_bare_EOF_the_engine()
    {
        var docker = new DockerCli();

        var registry = docker.Failure("push", 1, ["Put \"http://127.0.0.1:5000/v2/team/app/blobs/uploads/x?digest=sha256:1\": read tcp 127.0.0.1:4000->127.0.0.1:5000: read: connection reset by peer"], "127.0.0.1:5000");
        var engine = docker.Failure("push", 1, ["error during the push: unexpected EOF"], "127.0.0.1:5000");

        Assert.Contains("the registry 127.0.0.1:5000 closed the connection during the push", registry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dockerd", registry.Message, StringComparison.Ordinal);
        Assert.Contains("is dockerd still running?", engine.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_engine_location_names_a_context_or_a_remote_DOCKER_HOST()
    {
        Assert.Equal("docker context ci", DockerCli.EngineLocation("ci", "tcp://10.0.0.1:2375"));
        Assert.Equal("remote engine tcp://10.0.0.1:2375 (DOCKER_HOST)", DockerCli.EngineLocation(null, "tcp://10.0.0.1:2375"));
        Assert.Null(DockerCli.EngineLocation(null, null));
    }
}

/// <summary><c>docker buildx build --push --metadata-file</c>: rendered and parsed only (no buildx binary here).</summary>
public class BuildxArgumentsTests
{
    [Fact]
    public void Builds_with_push_and_a_metadata_file_and_no_load()
    {
        var (arguments, metadata) = BuildxArguments.Build(new DockerBuildRequest { ContextPath = "/src", Tags = ["r/app:t1"], Platform = "linux/amd64,linux/arm64" }, "/tmp/s", builder: "ci");

        Assert.Equal("/tmp/s/metadata.json", metadata);
        Assert.Equal(["buildx", "build", "--builder", "ci", "--push", "--metadata-file", "/tmp/s/metadata.json", "--file", "/src/Dockerfile", "--tag", "r/app:t1", "--platform", "linux/amd64,linux/arm64", "/src"], arguments);
        Assert.DoesNotContain("--load", arguments);
    }

    [Fact]
    public void Reads_the_pushed_digest_and_the_config_from_the_metadata_file_and_refuses_a_file_without_one()
    {
        const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
        const string Config = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
        var json = $$"""{"buildx.build.ref":"default/default/x","containerimage.config.digest":"{{Config}}","containerimage.digest":"{{Digest}}","image.name":"r/app:t1"}""";

        var (digest, config) = BuildxArguments.ParseMetadata(json);

        Assert.Equal((Digest, Config), (digest.ToString(), config?.ToString()));
        Assert.Throws<ContainerToolException>(() => BuildxArguments.ParseMetadata("""{"buildx.build.ref":"x"}"""));
        Assert.Throws<ContainerToolException>(() => BuildxArguments.ParseMetadata("not json"));
    }
}
