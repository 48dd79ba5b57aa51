using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TagForge.Registry;

/// <summary>
/// How a <see cref="RegistryClient"/> judges TLS certificates: the platform's verdict (the system trust store, and on
/// Linux <c>SSL_CERT_FILE</c> / <c>SSL_CERT_DIR</c>, which OpenSSL reads), except for hosts named in
/// <see cref="RegistryClientOptions.InsecureRegistries"/>, whose certificates may go unverified as with dockerd's
/// <c>insecure-registries</c>. A certificate refused is remembered per host, so the probe can say why the connection
/// failed instead of quoting the TLS stack.
/// </summary>
internal sealed class TlsPolicy(RegistryClientOptions options)
{
    private readonly ConcurrentDictionary<string, SslPolicyErrors> _refused = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The transport every registry request of one client goes through.</summary>
    public SocketsHttpHandler CreateTransport() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = true,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
    };

    /// <summary>Why the certificate of <paramref name="host"/> (no port) was last refused, if it was; forgets it.</summary>
    public SslPolicyErrors? TakeRefusal(string host) => _refused.TryRemove(host.Trim('[', ']'), out var errors) ? errors : null;

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var host = (sender as SslStream)?.TargetHostName ?? "";
        if (options.AllowsUnverifiedTls(host))
        {
            return true;
        }

        _refused[host.Trim('[', ']')] = errors;
        return false;
    }
}
