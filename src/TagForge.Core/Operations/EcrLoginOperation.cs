using TagForge.Services;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// <c>tagforge ecr login</c>: gets ECR's registry login (<c>GetAuthorizationToken</c>) and logs docker in to its own
/// config with the password on stdin (the safe replacement of <c>$(aws ecr get-login)</c>), or only returns the login.
/// </summary>
public static class EcrLoginOperation
{
    /// <summary>Runs the login.</summary>
    public static async Task<EcrLoginResult> RunAsync(EcrLoginRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        using var ecr = services.Ecr(request.Ecr ?? new());
        var login = await EcrRegistryLookup.LoginForAsync(ecr, request.Registry, cancellationToken).ConfigureAwait(false);
        var server = request.Registry ?? login.ServerAddress;
        if (request.PasswordOnly)
        {
            return new EcrLoginResult(server, login, DockerLoggedIn: false);
        }

        await services.Docker(request.DockerExecutable)
            .LoginAsync(server, new RegistryCredential(login.Username, login.Password), configDirectory: null, cancellationToken)
            .ConfigureAwait(false);
        return new EcrLoginResult(server, login, DockerLoggedIn: true);
    }
}
