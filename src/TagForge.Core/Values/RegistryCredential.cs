namespace TagForge.Values;

/// <summary>
/// Credentials for one registry: a user name and password (or access token used as a password), or an identity
/// token (an OAuth2 refresh token, what <c>docker login</c> stores for some registries). <see cref="ToString"/>
/// never shows the secret, so a credential that ends up in a log line leaks nothing.
/// </summary>
/// <param name="Username">The user name; <see langword="null"/> with an identity token.</param>
/// <param name="Password">The password or access token.</param>
/// <param name="IdentityToken">An OAuth2 refresh token (Docker's <c>identitytoken</c>).</param>
public sealed record RegistryCredential(string? Username, string? Password, string? IdentityToken = null)
{
    /// <summary>True when there is a user name and a password to send as Basic credentials.</summary>
    public bool HasPassword => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    /// <summary>
    /// When the credential stops working (an ECR authorization token's 12 hours), or <see langword="null"/> when it
    /// does not expire; the registry client asks its source again before then.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        IdentityToken is not null ? "RegistryCredential { identity token }" : $"RegistryCredential {{ Username = {Username}, Password = *** }}";
}
