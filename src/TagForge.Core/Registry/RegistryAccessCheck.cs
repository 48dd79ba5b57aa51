using System.Net;

namespace TagForge.Registry;

/// <summary>How a registry took the credentials found for it at <c>GET /v2/</c>.</summary>
public enum RegistryAccessOutcome
{
    /// <summary>It answered without asking for credentials.</summary>
    Anonymous,

    /// <summary>It asked, and accepted the credentials offered.</summary>
    Accepted,

    /// <summary>It asked, and none were found for it.</summary>
    NoCredentials,

    /// <summary>It refused the credentials offered (a wrong password, a revoked token).</summary>
    Refused,
}

/// <summary>The answer of <see cref="IRegistryClient.CheckAccessAsync"/>.</summary>
/// <param name="Endpoint">Where the registry answered its probe; null when it did not answer the probe but did this request.</param>
/// <param name="Outcome">How it took the credentials.</param>
/// <param name="User">The user whose credentials were offered (<c>""</c> for an identity token); null when none were.</param>
/// <param name="Status">The final HTTP status of <c>GET /v2/</c>.</param>
public sealed record RegistryAccessCheck(RegistryEndpoint? Endpoint, RegistryAccessOutcome Outcome, string? User, HttpStatusCode Status)
{
    /// <summary>True when the registry let the client in (anonymously or with the credentials).</summary>
    public bool Allowed => Outcome is RegistryAccessOutcome.Anonymous or RegistryAccessOutcome.Accepted;
}
