using TagForge.Testing;

namespace TagForge.Cli.Tests.Integrations;

/// <summary>
/// action.yml and the example workflows against GitHub's schemas, with <c>@action-validator/cli</c> 0.6.0. Needs node
/// and npm, and the npm registry on the first run (the tool is cached, see <see cref="NpmTools"/>).
/// </summary>
public class GitHubActionValidationTests
{
    public static TheoryData<string> Workflows => new(
        Directory.GetFiles(SourceTree.Combine("docs", "github"), "*.yml").Select(Path.GetFileName).Order().ToArray()!);

    [Fact]
    public async Task The_action_is_valid()
    {
        var result = await ValidateAsync(SourceTree.Combine("action.yml"));

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public async Task The_example_workflow_is_valid(string workflow)
    {
        var result = await ValidateAsync(SourceTree.Combine("docs", "github", workflow));

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void There_are_the_five_example_workflows()
    {
        Assert.Equal(["ecr-deploy.yml", "matrix.yml", "promote.yml", "pull-request.yml", "release-on-push.yml"], Workflows.Select(row => row.Data));
    }

    [Fact]
    public async Task The_validator_catches_a_broken_action()
    {
        using var directory = new TempDirectory("action");
        var broken = File.ReadAllText(SourceTree.Combine("action.yml")).Replace("using: composite", "using: compost", StringComparison.Ordinal);
        var path = directory.Write("action.yml", broken);

        var result = await ValidateAsync(path);

        Assert.NotEqual(0, result.ExitCode);
    }

    private static async Task<ProcessResult> ValidateAsync(string path) =>
        await ProcessRunner.RunAsync(await NpmTools.ActionValidatorAsync(), [path]);
}
