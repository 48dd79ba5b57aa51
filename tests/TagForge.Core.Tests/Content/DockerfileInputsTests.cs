namespace TagForge.Content;

/// <summary>What a Dockerfile reads besides its context: external images to resolve, and inputs TagForge cannot know.</summary>
public class DockerfileInputsTests
{
    private static readonly Dictionary<string, string?> NoArgs = [];

    [Fact]
    public void External_images_are_every_from_and_copy_from_that_is_neither_scratch_nor_a_stage()
    {
        var inputs = DockerfileInputs.Parse(
            """
            # syntax is a comment here
            ARG BASE=registry.example.com/base:1
            ARG TOOLS
            FROM $BASE AS build
            COPY --from=registry.example.com/tools:2 /bin/tool /tool
            RUN --mount=type=bind,from=cache.example.com/deps:3,target=/deps true
            FROM scratch AS out
            COPY --from=build /app /app
            COPY --from=0 /app /app2
            FROM ${TOOLS:-example.com/default-tools:4}
            FROM out
            """,
            NoArgs);

        Assert.Equal(["registry.example.com/base:1", "registry.example.com/tools:2", "cache.example.com/deps:3", "example.com/default-tools:4"], inputs.ExternalImages);
        Assert.True(inputs.IsHermetic);
    }

    [Fact]
    public void Build_arguments_given_override_the_dockerfiles_defaults()
    {
        var inputs = DockerfileInputs.Parse("ARG BASE=a/b:1\nFROM ${BASE}\n", new Dictionary<string, string?> { ["BASE"] = "c/d:2" });

        Assert.Equal(["c/d:2"], inputs.ExternalImages);
    }

    [Fact]
    public void Downloads_without_a_checksum_git_sources_secrets_and_the_network_are_unknowable_inputs()
    {
        var inputs = DockerfileInputs.Parse(
            """
            FROM scratch
            ADD https://example.com/tool.tar.gz /tool.tar.gz
            ADD --checksum=sha256:0123 https://example.com/pinned.tar.gz /pinned.tar.gz
            ADD git@github.com:owner/repo.git /src
            ADD https://github.com/owner/repo.git#v1 /src2
            RUN --mount=type=secret,id=token \
                cat /run/secrets/token
            RUN --network=host true
            RUN --network=none true
            COPY local.txt /local.txt
            """,
            NoArgs);

        Assert.False(inputs.IsHermetic);
        Assert.Equal(5, inputs.UnknowableInputs.Count);
        Assert.StartsWith("line 2: ADD https://example.com/tool.tar.gz without --checksum", inputs.UnknowableInputs[0], StringComparison.Ordinal);
        Assert.Contains(inputs.UnknowableInputs, reason => reason.StartsWith("line 4: ADD git@github.com", StringComparison.Ordinal));
        Assert.Contains(inputs.UnknowableInputs, reason => reason.StartsWith("line 5: ADD https://github.com/owner/repo.git#v1 (a git source", StringComparison.Ordinal));
        Assert.Contains(inputs.UnknowableInputs, reason => reason.StartsWith("line 6: RUN --mount=type=secret", StringComparison.Ordinal));
        Assert.Contains(inputs.UnknowableInputs, reason => reason.StartsWith("line 8: RUN --network=host", StringComparison.Ordinal));
    }

    [Fact]
    public void Reading_a_missing_dockerfile_is_bad_input()
    {
        Assert.Throws<Errors.BadInputException>(() => DockerfileInputs.Read("/nonexistent/Dockerfile", NoArgs));
    }
}
