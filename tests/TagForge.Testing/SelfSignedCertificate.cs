using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TagForge.Testing;

/// <summary>
/// A throwaway self-signed TLS certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1), its key, and a CA bundle
/// (the system's bundle plus this certificate) to point <c>SSL_CERT_FILE</c> at, as a user trusts a private CA.
/// </summary>
public sealed class SelfSignedCertificate : IDisposable
{
    /// <summary>Debian's system bundle, which the trusting bundle starts from.</summary>
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    private readonly TempDirectory _directory = new("tls");

    public SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var pem = certificate.ExportCertificatePem() + "\n";
        CertificatePath = _directory.Write("cert.pem", pem);
        KeyPath = _directory.Write("key.pem", key.ExportPkcs8PrivateKeyPem() + "\n");
        var system = File.Exists(SystemBundle) ? File.ReadAllText(SystemBundle) : "";
        TrustingBundlePath = _directory.Write("bundle.pem", system + "\n" + pem);
    }

    /// <summary>The certificate, PEM.</summary>
    public string CertificatePath { get; }

    /// <summary>Its private key, PEM (PKCS#8).</summary>
    public string KeyPath { get; }

    /// <summary>The system's CA bundle with this certificate added: the value of <c>SSL_CERT_FILE</c> that trusts it.</summary>
    public string TrustingBundlePath { get; }

    public void Dispose() => _directory.Dispose();
}
