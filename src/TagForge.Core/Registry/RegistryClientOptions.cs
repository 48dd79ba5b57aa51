using TagForge.Registry.Auth;

namespace TagForge.Registry;

/// <summary>How a <see cref="RegistryClient"/> talks to registries. Unset values take the defaults shown.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Where credentials come from; anonymous when unset.</summary>
    public IRegistryCredentialSource? Credentials { get; init; }

    /// <summary>
    /// Registry hosts (<c>host</c> or <c>host:port</c>) spoken to over plain http, like dockerd's
    /// <c>insecure-registries</c>. Loopback hosts (localhost, 127.0.0.0/8, ::1) always are.
    /// </summary>
    public IReadOnlyCollection<string>? InsecureRegistries { get; init; }

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
}
