using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary><c>TagForgeTasks.Lint</c> on real files in a temp directory: floating references throw, pinned ones pass.</summary>
public sealed class LintTaskTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: registry.example.com/team/app:latest
        """;

    [Fact]
    public void A_latest_tag_throws_findings_that_name_the_file_and_line()
    {
        using var directory = new TempDirectory("lint-task");
        directory.Write("deploy/deployment.yaml", Deployment);
        var logger = new ListLogger();

        var lint = Assert.Throws<FindingsException>(() => TagForgeTasks.Lint(s => s.SetWorkingDirectory(directory.Path).AddFiles("deploy").SetLogger(logger)));

        Assert.Equal("floating-tag", Assert.Single(lint.Findings).Code);
        Assert.True(lint.Message.Contains("deployment.yaml:10:", StringComparison.Ordinal), lint.Message);
        Assert.Contains(logger.Messages, m => m.StartsWith("Error: ", StringComparison.Ordinal) && m.Contains("deployment.yaml:10:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_reference_pinned_to_a_digest_has_no_findings()
    {
        using var directory = new TempDirectory("lint-task");
        directory.Write("deploy/deployment.yaml", Deployment.Replace(":latest", $"@{Samples.Digest}", StringComparison.Ordinal));

        Assert.Empty(TagForgeTasks.Lint(s => s.SetWorkingDirectory(directory.Path).AddFiles("deploy")));
    }

    [Fact]
    public void Added_floating_tags_are_flagged_like_the_defaults()
    {
        using var directory = new TempDirectory("lint-task");
        directory.Write("deploy/deployment.yaml", Deployment.Replace(":latest", ":stable-channel", StringComparison.Ordinal));

        var lint = Assert.Throws<FindingsException>(() => TagForgeTasks.Lint(s => s.SetWorkingDirectory(directory.Path).AddFiles("deploy").AddFloatingTags("stable-channel")));

        Assert.Equal("floating-tag", Assert.Single(lint.Findings).Code);
    }
}
