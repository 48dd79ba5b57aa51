using System.Text;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Services;

/// <summary>
/// The one credential chain (explicit, then TAGFORGE_REGISTRY_*, then ECR, then docker's config), against a real
/// registry with htpasswd Basic auth: a wrong credential earlier in the chain is refused by the registry, so each
/// test shows which source the client really used, and what a pushing tool would be handed.
/// </summary>
public sealed class RegistryClientFactoryTests
{
    private const string User = "chain";
    private const string Password = "chain-pass";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TagForgeServices Services(TempDirectory directory, string registryHost, string dockerConfigPassword, params (string Name, string Value)[] variables)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{dockerConfigPassword}"));
        directory.Write("docker/config.json", "{\"auths\":{\"" + registryHost + "\":{\"auth\":\"" + auth + "\"}}}");
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = directory.Combine("docker") };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return new TagForgeServices(new DictionaryEnvironment(environment));
    }

    private static async Task<bool> AcceptedAsync(RegistrySession session, LocalRegistry registry)
    {
        try
        {
            // A tag that does not exist: 404 (null) once authenticated, 401 (an exception) with a wrong credential.
            return await session.Client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/team/chain:absent"), Token) is null;
        }
        catch (ExternalFailureException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Docker_config_credentials_serve_the_client_and_are_not_handed_to_tools_that_read_them_themselves()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var directory = new TempDirectory("chain");
        using var services = Services(directory, registry.Host, Password);
        using var session = services.Registries.Open(new RegistryAccess { CredentialRegistry = registry.Host });

        Assert.True(await AcceptedAsync(session, registry));
        Assert.Null(await session.ForToolsAsync(registry.Host, Token));
    }

    [Fact]
    public async Task Explicit_credentials_come_before_the_environment_and_docker_config()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var directory = new TempDirectory("chain");
        using var services = Services(directory, registry.Host, "wrong", ("TAGFORGE_REGISTRY_USERNAME", User), ("TAGFORGE_REGISTRY_PASSWORD", "also-wrong"));
        var access = new RegistryAccess { Credential = new RegistryCredential(User, Password), CredentialRegistry = registry.Host };
        using var session = services.Registries.Open(access);

        Assert.True(await AcceptedAsync(session, registry));
        Assert.Equal(Password, (await session.ForToolsAsync(registry.Host, Token))?.Password);
    }

    [Fact]
    public async Task Environment_credentials_come_before_docker_config_and_are_handed_to_tools()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var directory = new TempDirectory("chain");
        using var services = Services(directory, registry.Host, "wrong", ("TAGFORGE_REGISTRY_USERNAME", User), ("TAGFORGE_REGISTRY_PASSWORD", Password));
        using var session = services.Registries.Open(new RegistryAccess { CredentialRegistry = registry.Host });

        Assert.True(await AcceptedAsync(session, registry));
        Assert.Equal(Password, (await session.ForToolsAsync(registry.Host, Token))?.Password);
    }

    [Fact]
    public async Task Explicit_credentials_for_another_registry_are_not_sent()
    {
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var directory = new TempDirectory("chain");
        using var services = Services(directory, registry.Host, Password);
        var access = new RegistryAccess { Credential = new RegistryCredential(User, "wrong"), CredentialRegistry = "registry.example.invalid" };
        using var session = services.Registries.Open(access);

        Assert.True(await AcceptedAsync(session, registry));
        Assert.Null(await session.ForToolsAsync(registry.Host, Token));
    }
}
