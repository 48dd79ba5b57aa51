using System.Text;
using System.Text.Json;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Testing;
using TagForge.Testing.Ecr;
using TagForge.Values;

namespace TagForge.Cli.Tests.Commands;

/// <summary>
/// <c>tagforge login</c> / <c>logout</c> end to end, against real registries (Debian's docker-registry with htpasswd
/// users, and in token-auth mode), read back by docker itself and by other TagForge commands. Needs: docker-registry,
/// htpasswd, the Docker engine (one pull).
/// </summary>
[Collection(DockerEngine.CollectionName)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes and shell scripts
public sealed class LoginCommandTests
{
    private const string AlicePassword = "alice-Pa55-word";
    private const string BobPassword = "bob-Pa55-word";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Environment(TempDirectory home, params (string Name, string? Value)[] extra) =>
        TagForgeCli.ReleaseEnvironment([("DOCKER_CONFIG", home.Combine("docker")), ("REGISTRY_AUTH_FILE", null), ("TAGFORGE_REGISTRY_HOST", null), .. extra]);

    private static Task<ProcessResult> Login(TempDirectory home, string registry, string user, string password, params (string Name, string? Value)[] extra) =>
        TagForgeCli.RunAsync(["login", registry, "--username", user, "--password-stdin"], home.Path, Environment(home, extra), password + "\n");

    private static void AssertNoSecret(ProcessResult result, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.StandardError, StringComparison.Ordinal);
        }
    }

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static RegistryClient Client(string user, string password) =>
        new(new RegistryClientOptions { Credentials = new ExplicitCredentialSource(new RegistryCredential(user, password)) });

    [Fact]
    public async Task Login_stores_the_checked_credential_owner_only_beside_the_other_entries_and_docker_pulls_with_it()
    {
        await using var registry = await LocalRegistry.StartWithUsersAsync(("alice", AlicePassword));
        await ScratchImages.PushAsync(registry.Host, "team/app", "v1", "alice", AlicePassword);
        using var home = new TempDirectory("login");
        var config = home.Write("docker/config.json", "{\n  \"auths\": {\n    \"other.example.com\": { \"auth\": \"eDp5\" }\n  },\n  \"psFormat\": \"table {{.ID}}\"\n}\n");
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var login = await Login(home, registry.Host, "alice", AlicePassword);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("", login.StandardOutput);
        Assert.Contains($"tagforge: logged in to {registry.Host} at http://{registry.Host} as alice; stored in {config}", login.StandardError, StringComparison.Ordinal);
        AssertNoSecret(login, AlicePassword, Auth("alice", AlicePassword));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        using (var stored = JsonDocument.Parse(File.ReadAllText(config)))
        {
            var auths = stored.RootElement.GetProperty("auths");
            Assert.Equal(Auth("alice", AlicePassword), auths.GetProperty(registry.Host).GetProperty("auth").GetString());
            Assert.Equal("eDp5", auths.GetProperty("other.example.com").GetProperty("auth").GetString());
            Assert.Equal("table {{.ID}}", stored.RootElement.GetProperty("psFormat").GetString());
        }

        // docker reads the entry itself: a pull from the registry that refuses anonymous users.
        var pull = await Docker.RunAsync("--config", home.Combine("docker"), "pull", $"{registry.Host}/team/app:v1");
        Assert.True(pull.ExitCode == 0, pull.ToString());
        await DockerCleanup.RemoveRepositoryAsync($"{registry.Host}/team/app");

        var logout = await TagForgeCli.RunAsync(["logout", registry.Host], home.Path, Environment(home));
        var again = await TagForgeCli.RunAsync(["logout", registry.Host], home.Path, Environment(home));

        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Contains($"logged out of {registry.Host}", logout.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Host, File.ReadAllText(config), StringComparison.Ordinal);
        Assert.Contains("other.example.com", File.ReadAllText(config), StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"not logged in to {registry.Host}", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_exit_1_saying_the_registry_refused_it_and_nothing_is_stored()
    {
        await using var registry = await LocalRegistry.StartWithUsersAsync(("alice", AlicePassword));
        using var home = new TempDirectory("login");

        var result = await Login(home, registry.Host, "alice", "not-" + AlicePassword);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"tagforge: error: {registry.Host} refused the credentials for alice (HTTP 401): wrong user name or password, or an expired token; nothing was stored\n",
            result.StandardError);
        AssertNoSecret(result, "not-" + AlicePassword);
        Assert.False(File.Exists(home.Combine("docker", "config.json")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Login_checks_the_credential_with_the_token_server_of_a_bearer_registry(bool postOnly)
    {
        await using var auth = await TokenAuthRegistry.StartAsync("robot", "t0ken-S3cret", postOnly);
        using var home = new TempDirectory("login");

        var wrong = await Login(home, auth.Registry.Host, "robot", "wrong-t0ken");
        var right = await Login(home, auth.Registry.Host, "robot", "t0ken-S3cret");

        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"{auth.Registry.Host} refused the credentials for robot", wrong.StandardError, StringComparison.Ordinal);
        Assert.True(right.ExitCode == 0, right.ToString());
        AssertNoSecret(wrong, "wrong-t0ken");
        AssertNoSecret(right, "t0ken-S3cret");
        Assert.Contains(Auth("robot", "t0ken-S3cret"), File.ReadAllText(home.Combine("docker", "config.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_between_two_registries_with_different_users_needs_two_logins_and_nothing_else()
    {
        await using var from = await LocalRegistry.StartWithUsersAsync(("alice", AlicePassword));
        await using var to = await LocalRegistry.StartWithUsersAsync(("bob", BobPassword));
        using (var alice = Client("alice", AlicePassword))
        {
            await RegistryImages.PushImageAsync(alice, ImageReference.Parse($"{from.Host}/team/app:v1"), cancellationToken: Token);
        }

        using var home = new TempDirectory("login");
        string[] promote = ["promote", $"{from.Host}/team/app:v1", $"{to.Host}/prod/app:1.0"];

        var before = await TagForgeCli.RunAsync(promote, home.Path, Environment(home));
        Assert.Equal(1, before.ExitCode);
        Assert.Contains($"no credentials for {from.Host}", before.StandardError, StringComparison.Ordinal);

        Assert.Equal(0, (await Login(home, from.Host, "alice", AlicePassword)).ExitCode);
        Assert.Equal(0, (await Login(home, to.Host, "bob", BobPassword)).ExitCode);
        var after = await TagForgeCli.RunAsync(promote, home.Path, Environment(home));

        Assert.True(after.ExitCode == 0, after.ToString());
        AssertNoSecret(after, AlicePassword, BobPassword);
        using var bob = Client("bob", BobPassword);
        var promoted = await bob.HeadManifestAsync(ImageReference.Parse($"{to.Host}/prod/app:1.0"), Token);
        Assert.Equal($"{to.Host}/prod/app:1.0@{promoted!.Digest}\n", after.StandardOutput);
    }

    [Fact]
    public async Task The_environments_credentials_apply_to_the_registry_TAGFORGE_REGISTRY_HOST_names_and_logins_to_the_rest()
    {
        await using var from = await LocalRegistry.StartWithUsersAsync(("alice", AlicePassword));
        await using var to = await LocalRegistry.StartWithUsersAsync(("bob", BobPassword));
        using (var alice = Client("alice", AlicePassword))
        {
            await RegistryImages.PushImageAsync(alice, ImageReference.Parse($"{from.Host}/team/app:v1"), cancellationToken: Token);
        }

        using var home = new TempDirectory("login");
        Assert.Equal(0, (await Login(home, from.Host, "alice", AlicePassword)).ExitCode);
        (string, string?)[] bob = [("TAGFORGE_REGISTRY_USERNAME", "bob"), ("TAGFORGE_REGISTRY_PASSWORD", BobPassword)];
        string[] promote = ["promote", $"{from.Host}/team/app:v1", $"{to.Host}/prod/app:1.0"];

        // Unscoped, promote has no registry of its own: the variables are offered to both, and the source refuses bob.
        var unscoped = await TagForgeCli.RunAsync(promote, home.Path, Environment(home, bob));
        var scoped = await TagForgeCli.RunAsync(promote, home.Path, Environment(home, [.. bob, ("TAGFORGE_REGISTRY_HOST", to.Host)]));

        Assert.Equal(1, unscoped.ExitCode);
        Assert.Contains($"{from.Host} refused the credentials for bob", unscoped.StandardError, StringComparison.Ordinal);
        Assert.True(scoped.ExitCode == 0, scoped.ToString());
        AssertNoSecret(unscoped, BobPassword);
        AssertNoSecret(scoped, BobPassword);
    }

    [Fact]
    public async Task An_authfile_login_is_read_back_through_REGISTRY_AUTH_FILE_by_every_command()
    {
        await using var registry = await LocalRegistry.StartWithUsersAsync(("alice", AlicePassword));
        using (var alice = Client("alice", AlicePassword))
        {
            await RegistryImages.PushImageAsync(alice, ImageReference.Parse($"{registry.Host}/team/app:v1"), cancellationToken: Token);
        }

        using var home = new TempDirectory("login");
        var authFile = home.Combine("containers", "auth.json");

        var login = await TagForgeCli.RunAsync(
            ["login", registry.Host, "--username", "alice", "--password-stdin", "--authfile", authFile], home.Path, Environment(home), AlicePassword);
        var promote = await TagForgeCli.RunAsync(["promote", $"{registry.Host}/team/app:v1", "v2"], home.Path, Environment(home, ("REGISTRY_AUTH_FILE", authFile)));

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(authFile));
        Assert.False(File.Exists(home.Combine("docker", "config.json")));
        Assert.True(promote.ExitCode == 0, promote.ToString());
    }

    [Fact]
    public async Task An_ECR_registry_logs_in_with_the_login_ECR_issues_for_the_AWS_credentials()
    {
        await using var ecr = await FakeEcr.StartAsync();
        using var home = new TempDirectory("login");
        var environment = ecr.ClientEnvironment(home);
        environment["DOCKER_CONFIG"] = home.Combine("docker");
        environment["REGISTRY_AUTH_FILE"] = null;

        var result = await TagForgeCli.RunAsync(["login", ecr.Registry.Host, "--ecr", "--endpoint-url", ecr.EndpointUrl], home.Path, environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"logged in to {ecr.Registry.Host} as AWS", result.StandardError, StringComparison.Ordinal);
        AssertNoSecret(result, ecr.RegistryPassword, FakeEcr.TestSecretAccessKey);
        Assert.Equal(
            new RegistryCredential("AWS", ecr.RegistryPassword),
            await new DockerConfigCredentialSource(new TagForge.IO.DictionaryEnvironment(new Dictionary<string, string> { ["DOCKER_CONFIG"] = home.Combine("docker") })).GetAsync(ecr.Registry.Host, Token));
    }

    [Fact]
    public async Task Login_without_a_password_from_stdin_is_bad_input()
    {
        using var home = new TempDirectory("login");

        var noStdin = await TagForgeCli.RunAsync(["login", "registry.example.com", "--username", "alice"], home.Path, Environment(home));
        var noUser = await TagForgeCli.RunAsync(["login", "registry.example.com"], home.Path, Environment(home));
        var password = await TagForgeCli.RunAsync(["login", "registry.example.com", "--password", "x"], home.Path, Environment(home));

        Assert.Equal(2, noStdin.ExitCode);
        Assert.Contains("--username and --password-stdin go together", noStdin.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, noUser.ExitCode);
        Assert.Contains("give --username and --password-stdin to log in to registry.example.com", noUser.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, password.ExitCode);
    }
}
