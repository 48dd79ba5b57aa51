using TagForge.Containers;
using TagForge.Engine;
using TagForge.Errors;
using TagForge.Registry;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// <c>--builder dotnet</c>: the .NET SDK publishes a console app onto a FROM-scratch base image pushed to a real
/// registry first (no internet), and TagForge guards before, confirms after and records. Needs: the .NET SDK,
/// docker (for the base image), docker-registry, htpasswd, git.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class DotnetReleaseTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<TestRepository> AppAsync(string program = "System.Console.WriteLine(\"hello\");", string outputType = "Exe", bool containerSupport = true)
    {
        var repository = await TestRepository.InitAsync();
        repository.WriteFile(".gitignore", "bin/\nobj/\n");
        repository.WriteFile("app/app.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{outputType}</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <EnableSdkContainerSupport>{(containerSupport ? "true" : "false")}</EnableSdkContainerSupport>
              </PropertyGroup>
            </Project>
            """);
        repository.WriteFile("app/Program.cs", program);
        await repository.CommitAsync("app");
        return repository;
    }

    private static ReleaseRequest Request(TestRepository repository, LocalRegistry registry, string base_, string repositoryName) => new()
    {
        Image = $"{registry.Host}/{repositoryName}",
        Builder = BuilderKind.Dotnet,
        Project = Path.Combine(repository.Path, "app", "app.csproj"),
        Tag = new TagRequest { Template = "{sha:8}", RepositoryPath = repository.Path },
        ExtraBuildArguments = [$"-p:ContainerBaseImage={base_}"],
        NoRecord = true,
    };

    [Fact]
    public async Task Publishes_confirms_reruns_and_refuses_another_build_under_the_same_tag()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var base_ = $"{registry.Host}/base@{await ScratchImages.PushAsync(registry.Host, "base", "scratch")}";
        using var repository = await AppAsync();
        using var services = new TagForgeServices(workingDirectory: repository.Path);
        using var client = new RegistryClient();

        var first = await ReleaseEngine.ReleaseOneAsync(Request(repository, registry, base_, "team/dotnet"), services, Token);
        var rerun = await ReleaseEngine.ReleaseOneAsync(Request(repository, registry, base_, "team/dotnet"), services, Token);
        repository.WriteFile("app/Program.cs", "System.Console.WriteLine(\"another\");");
        await repository.CommitAsync("another");
        var refused = await Assert.ThrowsAsync<PolicyRefusalException>(() => ReleaseEngine.ReleaseOneAsync(
            Request(repository, registry, base_, "team/dotnet") with { Tag = new TagRequest { Template = first.Tag, RepositoryPath = repository.Path } }, services, Token));

        var remote = await client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/team/dotnet:{first.Tag}"), Token);
        Assert.True(first.Pushed);
        Assert.Equal(remote?.Digest.ToString(), first.Digest);
        Assert.StartsWith("sha256:", first.ImageId, StringComparison.Ordinal);
        Assert.False(rerun.Pushed);
        Assert.Equal(first.Digest, rerun.Digest);
        Assert.Contains("dotnet publish would overwrite it", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_project_a_library_and_a_compile_error_are_each_one_clear_failure()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var base_ = $"{registry.Host}/base@{await ScratchImages.PushAsync(registry.Host, "base", "scratch")}";
        using var library = await AppAsync("namespace Lib; public static class A { }", outputType: "Library", containerSupport: false);
        using var broken = await AppAsync("this is not C#");
        using var services = new TagForgeServices(workingDirectory: library.Path);

        var noProject = await Assert.ThrowsAsync<BadInputException>(() => ReleaseEngine.ReleaseOneAsync(Request(library, registry, base_, "team/none") with { Project = null }, services, Token));
        var notAnApp = await Assert.ThrowsAsync<BadInputException>(() => ReleaseEngine.ReleaseOneAsync(Request(library, registry, base_, "team/lib"), services, Token));
        var failed = await Assert.ThrowsAsync<ContainerToolException>(() => ReleaseEngine.ReleaseOneAsync(Request(broken, registry, base_, "team/broken"), services, Token));

        Assert.Contains("--project PATH", noProject.Message, StringComparison.Ordinal);
        Assert.Contains("EnableSdkContainerSupport", notAnApp.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet publish -t:PublishContainer failed", failed.Message, StringComparison.Ordinal);
        Assert.Contains("error CS", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_go_through_the_SDKs_variables_and_a_wrong_password_is_exit_1_without_the_password()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("ci-bot", "right-pass-123");
        var base_ = $"{registry.Host}/base@{await ScratchImages.PushAsync(registry.Host, "base", "scratch", "ci-bot", "right-pass-123")}";
        using var repository = await AppAsync();
        using var services = new TagForgeServices(workingDirectory: repository.Path);

        var pushed = await ReleaseEngine.ReleaseOneAsync(
            Request(repository, registry, base_, "team/auth") with { Registry = new RegistryAccess { Credential = new RegistryCredential("ci-bot", "right-pass-123") } }, services, Token);
        var wrong = await Assert.ThrowsAnyAsync<ExternalFailureException>(() => ReleaseEngine.ReleaseOneAsync(
            Request(repository, registry, base_, "team/auth-wrong") with { Registry = new RegistryAccess { Credential = new RegistryCredential("ci-bot", "wrong-pass-456") } }, services, Token));

        Assert.True(pushed.Pushed);
        Assert.DoesNotContain("wrong-pass-456", wrong.Message, StringComparison.Ordinal);
    }
}
