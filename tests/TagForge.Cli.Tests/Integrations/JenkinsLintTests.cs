using TagForge.Testing;

namespace TagForge.Cli.Tests.Integrations;

/// <summary>
/// The Jenkinsfile and the shared-library step through npm-groovy-lint 18 (CodeNarc), failing on warnings. Needs Java
/// 17, and npm the first time (the linter and the Node.js 22 it needs are cached, see <see cref="NpmTools"/>).
/// </summary>
public class JenkinsLintTests
{
    [Fact]
    public async Task The_jenkinsfile_and_the_shared_library_step_lint_clean()
    {
        var result = await LintAsync(SourceTree.Combine("docs", "jenkins"), "Jenkinsfile", Path.Combine("vars", "tagforgeRelease.groovy"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2 linted files", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_promotion_pipeline_lints_clean()
    {
        var result = await LintAsync(SourceTree.Combine("docs", "jenkins"), "promote.Jenkinsfile");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("1 linted file", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_linter_catches_a_broken_jenkinsfile()
    {
        using var directory = new TempDirectory("jenkins");
        var text = File.ReadAllText(SourceTree.Combine("docs", "jenkins", "Jenkinsfile"));
        directory.Write("Jenkinsfile", text[..text.LastIndexOf('}')]);

        var result = await LintAsync(directory.Path, "Jenkinsfile");

        Assert.NotEqual(0, result.ExitCode);
    }

    private static async Task<ProcessResult> LintAsync(string directory, params string[] files)
    {
        var (node, script) = await NpmTools.GroovyLintAsync();
        // --noserver: no CodeNarc server left running after the test.
        return await ProcessRunner.RunAsync(node, [script, "--noserver", "--failon", "warning", "--output", "txt", .. files], directory,
            new Dictionary<string, string?> { ["FORCE_COLOR"] = "0", ["NO_COLOR"] = "1" });
    }
}
