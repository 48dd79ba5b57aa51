using System.Net;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>Facts about a registry host name (<c>host[:port]</c>): which scheme to speak, which names are aliases.</summary>
public static class RegistryHost
{
    /// <summary>
    /// True for hosts Docker itself speaks plain http to without configuration: <c>localhost</c>, 127.0.0.0/8 and ::1.
    /// </summary>
    public static bool IsLoopback(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var host = HostPart(registry);
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The host without the port (<c>[::1]:5000</c> → <c>::1</c>).</summary>
    public static string HostPart(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (registry.StartsWith('['))
        {
            var end = registry.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? registry[1..end] : registry;
        }

        var colon = registry.LastIndexOf(':');
        return colon >= 0 && registry.IndexOf(':', StringComparison.Ordinal) == colon ? registry[..colon] : registry;
    }

    /// <summary>Strips a scheme and path (<c>https://index.docker.io/v1/</c> → <c>docker.io</c>) and normalises the rest as image references are (<see cref="RegistryName.Normalize"/>).</summary>
    public static string Normalize(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var text = registry.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            text = text[..slash];
        }

        return RegistryName.Normalize(text);
    }

    /// <summary>True when both name the same registry.</summary>
    public static bool SameRegistry(string left, string right) => Normalize(left) == Normalize(right);
}
