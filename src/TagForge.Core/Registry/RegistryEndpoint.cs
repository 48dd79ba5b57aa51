using System.Net;

namespace TagForge.Registry;

/// <summary>What answered at a registry's <c>/v2/</c> when it was first asked: a distribution registry, and where.</summary>
/// <param name="Registry">The registry as references name it (<c>host[:port]</c>).</param>
/// <param name="BaseUri"><c>https://host/</c> or, where allowed and https failed, <c>http://host/</c>: every later request goes there.</param>
/// <param name="Status">The answer to <c>GET /v2/</c> without credentials: 200 (open) or 401 (asks for credentials).</param>
/// <param name="ApiVersion">Its <c>Docker-Distribution-API-Version</c> header (<c>registry/2.0</c>), when sent.</param>
public sealed record RegistryEndpoint(string Registry, Uri BaseUri, HttpStatusCode Status, string? ApiVersion)
{
    /// <summary>True when the answer was over TLS.</summary>
    public bool IsHttps => BaseUri.Scheme == Uri.UriSchemeHttps;
}
