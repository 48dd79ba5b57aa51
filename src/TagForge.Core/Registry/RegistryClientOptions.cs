using TagForge.Registry.Auth;

namespace TagForge.Registry;

/// <summary>How a <see cref="RegistryClient"/> talks to registries. Unset values take the defaults shown.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Where credentials come from; anonymous when unset.</summary>
    public IRegistryCredentialSource? Credentials { get; init; }

    /// <summary>
    /// Registry hosts (<c>host</c> or <c>host:port</c>) that may be spoken to over plain http or over TLS with a
    /// certificate nobody vouches for, like dockerd's <c>insecure-registries</c>. Loopback hosts (localhost,
    /// 127.0.0.0/8, ::1) may always be spoken to over plain http; their TLS certificates are verified.
    /// </summary>
    public IReadOnlyCollection<string>? InsecureRegistries { get; init; }

    /// <summary>
    /// True to ask each registry's <c>/v2/</c> once, before the first request to it, as docker and skopeo do: https
    /// first, then plain http where allowed (<see cref="IsInsecure"/>); a server that does not answer as a
    /// distribution registry fails there, naming what answered. False (the default for a client made by hand) speaks
    /// plain http to insecure hosts and https to the rest without asking.
    /// </summary>
    public bool ProbeRegistries { get; init; }

    /// <summary>The time one attempt of one request may take; 30 seconds.</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>Retries after the first attempt for 429, 5xx, connection failures and timeouts; 3.</summary>
    public int? MaxRetryAttempts { get; init; }

    /// <summary>The first retry's delay before jitter (doubling each time); 500 ms.</summary>
    public TimeSpan? RetryBaseDelay { get; init; }

    /// <summary>The longest <c>Retry-After</c> honoured; 30 seconds (a longer one is cut to this).</summary>
    public TimeSpan? MaxRetryAfter { get; init; }

    /// <summary>True when <paramref name="registry"/> is spoken to over plain http.</summary>
    public bool IsInsecure(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (RegistryHost.IsLoopback(registry))
        {
            return true;
        }

        var normalized = RegistryHost.Normalize(registry);
        return InsecureRegistries?.Any(entry =>
        {
            var insecure = RegistryHost.Normalize(entry);
            return insecure == normalized || insecure == RegistryHost.HostPart(normalized);
        }) == true;
    }

    /// <summary>
    /// True when a TLS certificate of <paramref name="host"/> (a host name or address, no port: what a TLS
    /// connection knows) may go unverified: the host is named in <see cref="InsecureRegistries"/>, with any port.
    /// </summary>
    public bool AllowsUnverifiedTls(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var wanted = host.Trim('[', ']').ToLowerInvariant();
        return InsecureRegistries?.Any(entry => RegistryHost.HostPart(RegistryHost.Normalize(entry)).Trim('[', ']') == wanted) == true;
    }
}
