using System.Net.Http.Headers;
using System.Text;

namespace TagForge.Registry.Auth;

/// <summary>
/// A parsed <c>WWW-Authenticate</c> challenge: <c>Basic realm="…"</c> or
/// <c>Bearer realm="https://auth…/token",service="…",scope="repository:team/app:pull"</c>.
/// </summary>
/// <param name="Scheme"><c>Basic</c> or <c>Bearer</c> (as sent).</param>
/// <param name="Parameters">The auth-params, names lowercased.</param>
public sealed record AuthenticationChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>True for the Basic scheme.</summary>
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the Bearer scheme.</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>realm</c>: for Bearer, the token server's URL.</summary>
    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>The <c>service</c> to name in the token request.</summary>
    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The <c>scope</c> to ask for.</summary>
    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>The first Bearer or Basic challenge among <paramref name="headers"/> (Bearer preferred), or null.</summary>
    public static AuthenticationChallenge? From(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var challenges = headers.Select(header => Parse(header.Scheme, header.Parameter)).ToList();
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Parses the auth-params of one challenge (<c>a="x,y",b=z</c>).</summary>
    public static AuthenticationChallenge Parse(string scheme, string? parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = parameters ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var name = text[i..equals].Trim().ToLowerInvariant();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i]);
                    i++;
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    value.Append(text[i]);
                    i++;
                }
            }

            result[name] = value.ToString().Trim();
        }

        return new AuthenticationChallenge(scheme, result);
    }
}
