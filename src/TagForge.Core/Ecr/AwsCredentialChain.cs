using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.RuntimeDependencies;
using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Ecr;

/// <summary>
/// The standard AWS credential chain. Static keys in the given environment (<c>AWS_ACCESS_KEY_ID</c>,
/// <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>) come first and are read through
/// <see cref="IEnvironmentVariables"/>; everything else is AWSSDK.Core's
/// <see cref="DefaultAWSCredentialsIdentityResolver"/>: shared config/credentials profiles (<c>AWS_PROFILE</c>,
/// assume-role, <c>credential_process</c>, SSO), web identity (<c>AWS_ROLE_ARN</c> + <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>, as
/// GitHub Actions OIDC sets them), ECS container credentials and EC2 instance profile credentials. The SDK reads the
/// process environment and files itself for those.
/// </summary>
public sealed class AwsCredentialChain : IAwsCredentialSource, IDisposable
{
    private static int s_registered;
    private readonly IEnvironmentVariables _environment;
    private readonly DefaultAWSCredentialsIdentityResolver _resolver = new();
    private AWSCredentials? _identity;

    /// <summary>Creates the chain over <paramref name="environment"/> (the process's in the CLI).</summary>
    public AwsCredentialChain(IEnvironmentVariables environment)
    {
        _environment = environment;
        RegisterSdkClients();
    }

    /// <inheritdoc />
    public async Task<AwsCredentials> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_environment.Read("AWS_ACCESS_KEY_ID") is { } accessKey)
        {
            var secret = _environment.Read("AWS_SECRET_ACCESS_KEY")
                ?? throw new BadInputException("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both (or neither, to use a profile or role)");
            return new AwsCredentials(accessKey, secret, _environment.Read("AWS_SESSION_TOKEN"));
        }

        try
        {
            // The resolved provider is kept: temporary credentials (web identity, SSO, container, instance) are cached
            // by the SDK and refreshed shortly before they expire, so each request does not call STS again.
            var identity = _identity ??= await _resolver.ResolveIdentityAsync(null, cancellationToken).ConfigureAwait(false);
            var credentials = await identity.GetCredentialsAsync().ConfigureAwait(false);
            return new AwsCredentials(credentials.AccessKey, credentials.SecretKey, credentials.UseToken ? credentials.Token : null, identity.Expiration);
        }
        catch (AmazonClientException ex)
        {
            throw new AwsCredentialsNotFoundException(
                $"no AWS credentials found (check your AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, or run with an instance or task role): {OneLine(ex.Message)}",
                ex);
        }
    }

    /// <summary>
    /// The SDK loads the STS and SSO clients by reflection for web identity, assume-role and SSO profiles. Under
    /// Native AOT that code is trimmed away, so the clients are registered with the SDK's runtime dependency registry
    /// instead (only then: with the JIT the SDK's own reflection path also passes assume-role source credentials).
    /// </summary>
    private static void RegisterSdkClients()
    {
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported || Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        GlobalRuntimeDependencyRegistry.Instance.RegisterSecurityTokenServiceClient(context =>
        {
            var data = context.SecurityTokenServiceClientContextData;
            // Web identity and SAML authenticate with the token itself; assume-role signs with the default chain
            // (the source profile's keys are not handed to the factory: a documented limitation under AOT).
            return data.Action == SecurityTokenServiceClientContext.ActionContext.AssumeRoleAWSCredentials
                ? new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(data.Region)
                : new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), data.Region);
        });
        GlobalRuntimeDependencyRegistry.Instance.RegisterSSOClient(context =>
            new Amazon.SSO.AmazonSSOClient(new AnonymousAWSCredentials(), context.SSOClientContextData.Region));
        GlobalRuntimeDependencyRegistry.Instance.RegisterSSOOIDCClient(context =>
            new Amazon.SSOOIDC.AmazonSSOOIDCClient(new AnonymousAWSCredentials(), context.SSOOIDCClientContextData.Region));
    }

    /// <inheritdoc />
    public void Dispose() => _resolver.Dispose();

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
