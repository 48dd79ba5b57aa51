using TagForge.Ecr;
using TagForge.IO;
using TagForge.Services;
using TagForge.Testing;
using TagForge.Testing.Ecr;

namespace TagForge.Diagnostics;

/// <summary>
/// <see cref="Doctor"/> called with services: variables, working directory and the registry client all come from them.
/// Needs: docker-registry, htpasswd (no Docker engine: the docker check is pointed at a missing CLI).
/// </summary>
public sealed class DoctorTests : IDisposable
{
    private readonly TempDirectory _home = new("doctor-core");

    public void Dispose() => _home.Dispose();

    private TagForgeServices Services(Dictionary<string, string> variables)
    {
        variables["DOCKER_CONFIG"] = _home.Combine("docker");
        variables["TAGFORGE_DOCKER"] = _home.Combine("no-such-docker");
        return new TagForgeServices(new DictionaryEnvironment(variables), workingDirectory: _home.Path);
    }

    private static DoctorCheck Check(IReadOnlyList<DoctorCheck> checks, string name) => Assert.Single(checks, check => check.Name == name);

    [Fact]
    public async Task Reads_credentials_from_the_services_environment_and_checks_the_registry_with_the_factorys_client()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("dev", "right-password");
        using var services = Services(new() { ["TAGFORGE_REGISTRY_USERNAME"] = "dev", ["TAGFORGE_REGISTRY_PASSWORD"] = "right-password" });

        var checks = await Doctor.CheckAsync(new DoctorRequest { Image = $"{registry.Host}/team/app" }, services, TestContext.Current.CancellationToken);

        Assert.Equal(["git", "config", "builder", "docker", "registry", "credentials"], checks.Select(check => check.Name));
        Assert.Equal(CheckStatus.Failed, Check(checks, "git").Status);
        Assert.Equal(CheckStatus.Failed, Check(checks, "docker").Status);
        Assert.Contains(_home.Combine("no-such-docker"), Check(checks, "docker").Detail, StringComparison.Ordinal);
        Assert.Equal(new DoctorCheck("registry", CheckStatus.Ok, $"{registry.Host} answers as a registry at http://{registry.Host} (asks for credentials); team/app has 0 tag(s)"), Check(checks, "registry"));
        Assert.Equal(
            new DoctorCheck("credentials", CheckStatus.Ok, "TAGFORGE_REGISTRY_USERNAME/TAGFORGE_REGISTRY_PASSWORD: reading team/app works (pushing needs write access too)"),
            Check(checks, "credentials"));
    }

    [Fact]
    public async Task Says_wrong_credentials_from_the_services_environment_are_refused()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync("dev", "right-password");
        using var services = Services(new() { ["TAGFORGE_REGISTRY_USERNAME"] = "dev", ["TAGFORGE_REGISTRY_PASSWORD"] = "wrong-password" });

        var checks = await Doctor.CheckAsync(new DoctorRequest { Image = $"{registry.Host}/team/app" }, services, TestContext.Current.CancellationToken);

        var credentials = Check(checks, "credentials");
        Assert.Equal(CheckStatus.Failed, credentials.Status);
        Assert.StartsWith($"log in (tagforge login {registry.Host} --username USER --password-stdin, or docker login {registry.Host})", credentials.Fix, StringComparison.Ordinal);
        Assert.Equal($"TAGFORGE_REGISTRY_USERNAME/TAGFORGE_REGISTRY_PASSWORD: {registry.Host} refused the credentials for dev (HTTP 401)", credentials.Detail);
        Assert.DoesNotContain("wrong-password", credentials.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ECR_registry_is_read_with_the_ECR_token_of_the_factorys_chain_and_says_so()
    {
        await using var ecr = await FakeEcr.StartAsync();
        ecr.AddRepository("app");
        await ecr.PushImageAsync("app", "v1");
        using var services = Services(AwsVariables(ecr));

        var checks = await Doctor.CheckAsync(
            new DoctorRequest { Image = $"{ecr.Registry.Host}/app", Ecr = new EcrSettings(Force: true) }, services, TestContext.Current.CancellationToken);

        Assert.Equal(new DoctorCheck("registry", CheckStatus.Ok, $"{ecr.Registry.Host} answers as a registry at http://{ecr.Registry.Host} (asks for credentials); app has 1 tag(s)"), Check(checks, "registry"));
        Assert.Equal(
            new DoctorCheck("credentials", CheckStatus.Ok, "ECR authorization token (AWS credentials): reading app works (pushing needs write access too)"),
            Check(checks, "credentials"));
        Assert.Equal(1, ecr.TokensIssued);
    }

    [Fact]
    public async Task AWS_credentials_ECR_refuses_fail_the_credentials_check_with_what_to_fix()
    {
        await using var ecr = await FakeEcr.StartAsync();
        var variables = AwsVariables(ecr);
        variables["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-value";
        using var services = Services(variables);

        var checks = await Doctor.CheckAsync(
            new DoctorRequest { Image = $"{ecr.Registry.Host}/app", Ecr = new EcrSettings(Force: true) }, services, TestContext.Current.CancellationToken);

        var credentials = Check(checks, "credentials");
        Assert.Equal(CheckStatus.Failed, credentials.Status);
        Assert.Contains("check your AWS credentials", credentials.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-value", credentials.Detail, StringComparison.Ordinal);
        Assert.StartsWith("fix the AWS credentials", credentials.Fix, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Ok, Check(checks, "registry").Status); // the registry itself was asked, and answered
    }

    private Dictionary<string, string> AwsVariables(FakeEcr ecr)
    {
        var variables = ecr.ClientEnvironment(_home).Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!);
        variables["AWS_ENDPOINT_URL_ECR"] = ecr.EndpointUrl;
        return variables;
    }
}
