using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TagForge.Testing.Ecr;

/// <summary>
/// AWS Signature Version 4, written for the fake ECR from the published algorithm (canonical request, string to sign,
/// HMAC key chain) and deliberately independent of AWSSDK.Core, so the fake checks TagForge's signer rather than
/// agreeing with it by construction. Checked against AWS's SigV4 test-suite vectors in SigV4Tests.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The parts of an <c>Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c> header.</summary>
    public sealed record AuthorizationHeader(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
    {
        public string Scope => $"{Date}/{Region}/{Service}/aws4_request";
    }

    public static AuthorizationHeader? ParseAuthorization(string? header)
    {
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var fields = header[(Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders) || !fields.TryGetValue("Signature", out var signature))
        {
            return null;
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return null;
        }

        return new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], signedHeaders.Split(';'), signature);
    }

    /// <summary>
    /// The canonical request: method, canonical URI, canonical query, the signed headers (lowercase names, trimmed values
    /// with inner runs of spaces collapsed, sorted), the signed header list and the payload's SHA-256 hex.
    /// </summary>
    public static string CanonicalRequest(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyDictionary<string, string> headers,
        IEnumerable<string> signedHeaders,
        string payloadHash)
    {
        var names = signedHeaders.Select(name => name.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
        var lowered = headers.ToDictionary(pair => pair.Key.ToLowerInvariant(), pair => pair.Value, StringComparer.Ordinal);
        var builder = new StringBuilder();
        builder.Append(method).Append('\n');
        builder.Append(CanonicalUri(rawPath)).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in names)
        {
            var value = lowered.TryGetValue(name, out var found) ? found : "";
            builder.Append(name).Append(':').Append(CollapseSpaces(value.Trim())).Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(';', names)).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary><c>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")</c>.</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, "aws4_request");
    }

    public static string Signature(string secretAccessKey, string date, string region, string service, string stringToSign) =>
        Hex(Hmac(SigningKey(secretAccessKey, date, region, service), stringToSign));

    public static string PayloadHash(ReadOnlySpan<byte> payload) => Hex(SHA256.HashData(payload));

    /// <summary>Signs a request the way a client would (for test-suite checks of this implementation).</summary>
    public static string AuthorizationFor(
        string accessKeyId,
        string secretAccessKey,
        string region,
        string service,
        string amzDate,
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyDictionary<string, string> headers,
        string payloadHash)
    {
        var date = amzDate[..8];
        var signed = headers.Keys.Select(name => name.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
        var canonical = CanonicalRequest(method, rawPath, rawQuery, headers, signed, payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var signature = Signature(secretAccessKey, date, region, service, StringToSign(amzDate, scope, canonical));
        return $"{Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}";
    }

    public static bool TryParseAmzDate(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    public static string FormatAmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Each path segment URI-encoded again (non-S3 services encode twice); an empty path is <c>/</c>.</summary>
    private static string CanonicalUri(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return "/";
        }

        return string.Join('/', rawPath.Split('/').Select(segment => UriEncode(segment)));
    }

    private static string CanonicalQuery(string rawQuery)
    {
        var query = rawQuery.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        return string.Join('&', query
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var parts = pair.Split('=', 2);
                var name = UriEncode(Uri.UnescapeDataString(parts[0]));
                var value = parts.Length > 1 ? UriEncode(Uri.UnescapeDataString(parts[1])) : "";
                return (name, value);
            })
            .OrderBy(pair => pair.name, StringComparer.Ordinal)
            .ThenBy(pair => pair.value, StringComparer.Ordinal)
            .Select(pair => $"{pair.name}={pair.value}"));
    }

    /// <summary>RFC 3986 encoding: unreserved characters stay, every other byte becomes <c>%XX</c> (uppercase).</summary>
    private static string UriEncode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                if (!previousSpace)
                {
                    builder.Append(c);
                }

                previousSpace = true;
            }
            else
            {
                builder.Append(c);
                previousSpace = false;
            }
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
