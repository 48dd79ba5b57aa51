using System.Net;

namespace TagForge.Values;

/// <summary>
/// The one normal form of a registry name (<c>host[:port]</c>), so that every spelling of one registry compares equal
/// in pin, verify, lint, resolve, prune and the credential chain: the host lower-cased (DNS is case-blind), the
/// default https port <c>:443</c> dropped, and every Docker Hub alias folded into <c>docker.io</c>.
/// </summary>
public static class RegistryName
{
    /// <summary>The names Docker Hub answers to, besides <see cref="ImageReference.DockerHub"/>.</summary>
    private static readonly string[] DockerHubAliases = ["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

    /// <summary>
    /// <c>Registry.Example.COM:443</c> → <c>registry.example.com</c>; <c>INDEX.docker.io</c> → <c>docker.io</c>.
    /// A loopback host keeps <c>:443</c>: it is spoken to over plain http, where 443 is not the default port.
    /// </summary>
    public static string Normalize(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var text = registry.ToLowerInvariant();
        if (text.EndsWith(":443", StringComparison.Ordinal) && !IsLoopbackHost(text[..^4]))
        {
            text = text[..^4];
        }

        return Array.IndexOf(DockerHubAliases, text) >= 0 ? ImageReference.DockerHub : text;
    }

    private static bool IsLoopbackHost(string host)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return bare == "localhost" || (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }
}
