using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Operations;

public sealed class LintOperationTests
{
    [Fact]
    public async Task Finds_floating_and_missing_tags_in_path_order()
    {
        using var directory = new TempDirectory("lint-op");
        directory.Write("k8s/a.yaml", Samples.Pod("nginx:latest"));
        directory.Write("k8s/b.yaml", Samples.Pod("redis", $"{Samples.Repository}@{Samples.Digest}"));

        using var services = Samples.In(directory);
        var result = await LintOperation.RunAsync(new LintRequest { Paths = ["k8s"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.PolicyRefusal, result.ExitCode);
        Assert.Equal(["k8s/a.yaml:floating-tag", "k8s/b.yaml:no-tag"], result.Findings.Select(f => $"{f.File}:{f.Code}"));
        Assert.Equal(["k8s/a.yaml", "k8s/b.yaml"], result.Files.Select(file => file.File));
    }

    [Fact]
    public async Task Floating_tags_can_be_replaced()
    {
        using var directory = new TempDirectory("lint-op");
        directory.Write("pod.yaml", Samples.Pod("nginx:latest", "amazon/aws-xray-daemon:3.3"));

        using var services = Samples.In(directory);
        var result = await LintOperation.RunAsync(new LintRequest { Paths = ["pod.yaml"], FloatingTags = ["3.3"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal("amazon/aws-xray-daemon:3.3", Assert.Single(result.Findings).Reference);
    }

    [Fact]
    public async Task A_missing_file_is_an_error_and_exit_code_2()
    {
        using var directory = new TempDirectory("lint-op");

        using var services = Samples.In(directory);
        var result = await LintOperation.RunAsync(new LintRequest { Paths = ["missing.yaml"] }, services, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCode.BadInput, result.ExitCode);
        Assert.Equal("missing.yaml: no such file or directory", Assert.Single(result.Errors));
    }
}
