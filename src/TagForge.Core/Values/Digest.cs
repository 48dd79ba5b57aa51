using System.Diagnostics.CodeAnalysis;

namespace TagForge.Values;

/// <summary>A content digest such as <c>sha256:9f86d0…</c> (OCI image spec: algorithm and lowercase hex of its length).</summary>
public sealed record Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    /// <summary><c>sha256</c> or <c>sha512</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The encoded hash, lowercase hex.</summary>
    public string Hex { get; }

    /// <summary>Parses <c>sha256:&lt;64 hex&gt;</c> or <c>sha512:&lt;128 hex&gt;</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Digest? digest)
    {
        digest = null;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var expectedLength = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => -1,
        };
        if (hex.Length != expectedLength || !hex.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <summary>Parses a digest or throws <see cref="FormatException"/>.</summary>
    public static Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"'{text}' is not a digest (sha256: and 64 lowercase hex characters)");

    /// <summary>The digest of <paramref name="content"/> with SHA-256.</summary>
    public static Digest Sha256Of(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)));

    /// <inheritdoc />
    public override string ToString() => $"{Algorithm}:{Hex}";
}
