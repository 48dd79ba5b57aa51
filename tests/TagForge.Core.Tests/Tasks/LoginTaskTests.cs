using TagForge.Errors;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>
/// Registry credentials from a build script: TagForgeTasks.Login (checked, stored in the auth file) and
/// AddRegistryCredential (per registry, nothing written), against real htpasswd registries. Needs: docker-registry, htpasswd.
/// </summary>
public sealed class LoginTaskTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RegistryClient Client(string user, string password) =>
        new(new RegistryClientOptions { Credentials = new ExplicitCredentialSource(new RegistryCredential(user, password)) });

    [Fact]
    public async Task Login_stores_a_checked_credential_in_the_environments_docker_config_and_refuses_a_wrong_one()
    {
        await using var registry = await LocalRegistry.StartWithUsersAsync(("alice", "alice-pass"));
        using var home = new TempDirectory("login-task");
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["DOCKER_CONFIG"] = home.Combine("docker") });

        var refused = await Assert.ThrowsAsync<RegistryException>(() => TagForgeTasks.LoginAsync(
            settings => (settings with { Environment = environment }).SetRegistry(registry.Host).SetCredential("alice", "wrong"), Token));
        var result = TagForgeTasks.Login(settings => (settings with { Environment = environment }).SetRegistry(registry.Host).SetCredential("alice", "alice-pass"));

        Assert.StartsWith($"{registry.Host} refused the credentials for alice", refused.Message, StringComparison.Ordinal);
        Assert.Equal(home.Combine("docker", "config.json"), result.AuthFile);
        Assert.Equal("alice", result.User);
        Assert.Equal(new RegistryCredential("alice", "alice-pass"), await new DockerConfigCredentialSource(environment).GetAsync(registry.Host, Token));
    }

    [Fact]
    public async Task Promote_between_two_registries_with_two_users_takes_a_credential_per_registry_and_writes_no_file()
    {
        await using var from = await LocalRegistry.StartWithUsersAsync(("alice", "alice-pass"));
        await using var to = await LocalRegistry.StartWithUsersAsync(("bob", "bob-pass"));
        using (var alice = Client("alice", "alice-pass"))
        {
            await RegistryImages.PushImageAsync(alice, ImageReference.Parse($"{from.Host}/team/app:v1"), cancellationToken: Token);
        }

        using var home = new TempDirectory("login-task");
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["DOCKER_CONFIG"] = home.Combine("docker"), ["HOME"] = home.Path });

        var promoted = await TagForgeTasks.PromoteAsync(
            settings => (settings with { Environment = environment, WorkingDirectory = home.Path })
                .SetSource($"{from.Host}/team/app:v1").SetDestination($"{to.Host}/prod/app:1.0")
                .AddRegistryCredential(from.Host, "alice", "alice-pass").AddRegistryCredential(to.Host, "bob", "bob-pass"),
            Token);

        using var bob = Client("bob", "bob-pass");
        Assert.Equal(promoted.Digest, (await bob.HeadManifestAsync(ImageReference.Parse($"{to.Host}/prod/app:1.0"), Token))?.Digest);
        Assert.False(Directory.Exists(home.Combine("docker")));
        Assert.Throws<BadInputException>(() => new PromoteSettings().AddRegistryCredential("", "alice", "alice-pass"));
    }
}
