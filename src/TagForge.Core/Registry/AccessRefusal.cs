using System.Net;
using TagForge.Registry.Auth;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>The words for a registry's 401 or 403, so "no credentials", "refused" and "not allowed" never read alike.</summary>
internal static class AccessRefusal
{
    /// <summary>
    /// Why a 401 or 403 happened, said so the three cases never read alike: no credentials were found for the registry,
    /// the registry refused the ones offered (a wrong password, a revoked token), or it accepted them but denies this.
    /// </summary>
    public static string Message(ImageReference reference, string what, string status, HttpStatusCode code, string? user)
    {
        var who = user is null ? null : user.Length == 0 ? "the identity token" : $"the credentials for {user}";
        var howToLogIn = $"tagforge login {reference.Registry} (or docker login), --username with --password-stdin, or {ExplicitCredentialSource.UsernameVariable}/{ExplicitCredentialSource.PasswordVariable}";
        return (who, code) switch
        {
            (null, _) => $"no credentials for {reference.Registry}: it refused {what} for {reference.Repository} anonymously ({status}); log in with {howToLogIn}",
            (_, HttpStatusCode.Unauthorized) => $"{reference.Registry} refused {who} ({status} for {what} of {reference.Repository}): wrong or expired; log in again with {howToLogIn}",
            _ => $"{reference.Registry} accepted {who} but denies {what} for {reference.Repository} ({status}): ask for access to the repository, or use credentials that have it",
        };
    }
}
