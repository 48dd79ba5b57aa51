namespace TagForge.Ecr;

/// <summary>AWS credentials for signing requests. <see cref="ToString"/> never shows the secret or the token.</summary>
/// <param name="AccessKeyId">The access key id (not secret; names the key in errors).</param>
/// <param name="SecretAccessKey">The secret access key.</param>
/// <param name="SessionToken">The session token of temporary credentials, if any.</param>
/// <param name="Expiration">When temporary credentials expire, if known.</param>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null, DateTimeOffset? Expiration = null)
{
    /// <inheritdoc />
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = ***, SessionToken = {(SessionToken is null ? "none" : "***")} }}";
}

/// <summary>Supplies AWS credentials; the default is the AWS SDK's standard chain (<see cref="AwsCredentialChain"/>).</summary>
public interface IAwsCredentialSource
{
    /// <summary>Current credentials; throws <see cref="Errors.ExternalFailureException"/> when none can be found.</summary>
    Task<AwsCredentials> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>Fixed credentials (tests, build scripts that already hold keys).</summary>
public sealed class StaticAwsCredentialSource(AwsCredentials credentials) : IAwsCredentialSource
{
    /// <inheritdoc />
    public Task<AwsCredentials> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(credentials);
}

/// <summary>No AWS credentials anywhere in the chain (exit code 1); the message lists where TagForge looked.</summary>
public sealed class AwsCredentialsNotFoundException(string message, Exception? innerException = null)
    : Errors.ExternalFailureException(message, innerException);
