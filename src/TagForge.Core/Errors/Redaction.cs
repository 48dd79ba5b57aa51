using System.Text.RegularExpressions;

namespace TagForge.Errors;

/// <summary>
/// The one rule for what never reaches a message, a log line or an exception TagForge builds from user input:
/// the user-info of a URL (<c>https://user:password@host</c>), the value of an <c>Authorization</c> header, a
/// bearer or basic token, a signature or token in a query string, and the values of the environment variables that
/// carry secrets (<see cref="IsSecretVariable"/>). Each is replaced by <see cref="Mask"/>; what is around it stays,
/// so the line still says what failed.
/// </summary>
public static partial class Redaction
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Secret values shorter than this are not searched for: masking every "1" would hide more than it protects.</summary>
    public const int ShortestSecret = 4;

    /// <summary>Variables that carry secrets by name, besides any whose name ends like one (<see cref="IsSecretVariable"/>).</summary>
    private static readonly HashSet<string> SecretVariables = new(StringComparer.OrdinalIgnoreCase)
    {
        "TAGFORGE_REGISTRY_PASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "DOCKER_PASSWORD",
        "DOCKER_AUTH_CONFIG",
        "REGISTRY_PASSWORD",
        "CI_JOB_TOKEN",
        "CI_REGISTRY_PASSWORD",
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "ACTIONS_RUNTIME_TOKEN",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        "SYSTEM_ACCESSTOKEN",
        "BITBUCKET_STEP_OIDC_TOKEN",
    };

    private static readonly string[] SecretSuffixes = ["_PASSWORD", "_PASSWD", "_SECRET", "_TOKEN", "_SECRET_ACCESS_KEY", "_API_KEY"];

    /// <summary>True when the variable <paramref name="name"/> holds a secret (by its name).</summary>
    public static bool IsSecretVariable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (SecretVariables.Contains(name))
        {
            return true;
        }

        foreach (var suffix in SecretSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The secret values among <paramref name="variables"/> (name, value), longest first, for <see cref="Redact(string?, IReadOnlyCollection{string})"/>.</summary>
    public static IReadOnlyList<string> SecretsAmong(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        // Plain loops: every command runs this first, and under Native AOT LINQ's generic virtual calls are resolved
        // at run time on first use (about 1 ms of start-up).
        var secrets = new List<string>();
        foreach (var (name, value) in variables)
        {
            if (value is { Length: >= ShortestSecret } && IsSecretVariable(name) && value.Trim() is { Length: >= ShortestSecret } trimmed && !secrets.Contains(trimmed))
            {
                secrets.Add(trimmed);
            }
        }

        // Longest first, so a secret that contains another is masked whole (two of one length cannot contain each other).
        secrets.Sort(static (a, b) => b.Length.CompareTo(a.Length));
        return secrets;
    }

    /// <summary><paramref name="text"/> with user-info, authorization values, tokens and signatures masked.</summary>
    public static string Redact(string? text) => Redact(text, []);

    /// <summary>
    /// <paramref name="text"/> with user-info, authorization values, tokens and signatures masked, and every
    /// occurrence of each of <paramref name="secrets"/> (values known to be secret, e.g. from
    /// <see cref="SecretsAmong"/>) too.
    /// </summary>
    public static string Redact(string? text, IReadOnlyCollection<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        foreach (var secret in secrets)
        {
            if (secret.Length >= ShortestSecret)
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        text = UrlUserInfo().Replace(text, "${scheme}" + Mask + "@");
        text = BareUserInfo().Replace(text, Mask + "@");
        text = AuthorizationValue().Replace(text, "${name}${separator}${scheme}" + Mask);
        text = SchemeToken().Replace(text, "${scheme} " + Mask);
        text = SecretParameter().Replace(text, "${name}" + Mask);
        return text;
    }

    /// <summary><c>scheme://user:password@</c> and <c>scheme://token@</c>.</summary>
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/\s@'""<>]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    /// <summary>
    /// <c>user:password@host</c> without a scheme (an image reference as a user might mistype it); not
    /// <c>name:tag@sha256:…</c>, whose <c>@</c> starts a digest.
    /// </summary>
    [GeneratedRegex(@"(?<![\w/.:*-])[^\s/@'""<>:]+:[^\s/@'""<>]+@(?![a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,})", RegexOptions.CultureInvariant)]
    private static partial Regex BareUserInfo();

    /// <summary><c>Authorization: Basic dXNlcjpwYXNz</c>, <c>Proxy-Authorization=…</c>, <c>"authorization":"…"</c>.</summary>
    [GeneratedRegex(@"(?<name>\b(?:proxy-)?authorization""?)(?<separator>\s*[:=]\s*""?)(?>(?<scheme>(?:bearer|basic|token|aws4-hmac-sha256)\s+)?)(?!\*\*\*)[^\s""',;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationValue();

    /// <summary>
    /// <c>Bearer eyJhbGciOi…</c> or <c>Basic dXNlcjpwYXNz</c> anywhere: eight token characters at least one of which
    /// is no letter, so prose ("basic authentication") stays.
    /// </summary>
    [GeneratedRegex(@"(?<scheme>\b(?:bearer|basic))\s+(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])(?!\*\*\*)[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SchemeToken();

    /// <summary><c>password=…</c>, <c>access_token=…</c>, <c>X-Amz-Signature=…</c> in a query string or a message.</summary>
    [GeneratedRegex(@"(?<name>\b(?:password|passwd|pwd|secret|token|access_token|refresh_token|client_secret|signature|x-amz-signature|x-amz-security-token|x-amz-credential)=)(?!\*\*\*)[^\s&""',;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();
}
