using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace TagForge.Ecr;

/// <summary>
/// An Amazon ECR private registry host: <c>&lt;account&gt;.dkr.ecr[-fips].&lt;region&gt;.amazonaws.com[.cn]</c>. The account
/// (registry id) and region come from the host; <see cref="Forced"/> makes one for a private DNS name or a test
/// endpoint (<c>--ecr</c>), where the region comes from elsewhere and the account is the caller's.
/// </summary>
public sealed partial record EcrRegistryHost
{
    private EcrRegistryHost(string host, string? accountId, string region, bool fips, bool china)
    {
        Host = host;
        AccountId = accountId;
        Region = region;
        IsFips = fips;
        IsChina = china;
    }

    /// <summary>The registry host as written in image references (lowercase).</summary>
    public string Host { get; }

    /// <summary>The 12-digit account id (ECR's registry id), or <see langword="null"/> when forced on another name.</summary>
    public string? AccountId { get; }

    /// <summary>The AWS region, such as <c>eu-west-1</c>.</summary>
    public string Region { get; }

    /// <summary>True for the FIPS host form (<c>dkr.ecr-fips</c>): the API is called on <c>ecr-fips.&lt;region&gt;</c>.</summary>
    public bool IsFips { get; }

    /// <summary>True for the China partition (<c>.amazonaws.com.cn</c>).</summary>
    public bool IsChina { get; }

    /// <summary>The partition's DNS suffix: <c>amazonaws.com</c> or <c>amazonaws.com.cn</c>.</summary>
    public string DnsSuffix => IsChina ? "amazonaws.com.cn" : "amazonaws.com";

    /// <summary>Recognises an ECR registry host (optionally with a port, which ECR never uses but a reference may carry).</summary>
    public static bool TryParse(string? host, [NotNullWhen(true)] out EcrRegistryHost? registry)
    {
        registry = null;
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var match = HostPattern().Match(host.ToLowerInvariant());
        if (!match.Success)
        {
            return false;
        }

        registry = new EcrRegistryHost(
            match.Value.EndsWith(":443", StringComparison.Ordinal) ? match.Value[..^4] : match.Value,
            match.Groups["account"].Value,
            match.Groups["region"].Value,
            fips: match.Groups["fips"].Success,
            china: match.Groups["cn"].Success);
        return true;
    }

    /// <summary>True when <paramref name="host"/> is an ECR registry host.</summary>
    public static bool IsEcr(string? host) => TryParse(host, out _);

    /// <summary>Parses an ECR registry host or throws <see cref="FormatException"/>.</summary>
    public static EcrRegistryHost Parse(string host) =>
        TryParse(host, out var registry)
            ? registry
            : throw new FormatException($"'{host}' is not an Amazon ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com); pass --ecr and --region for a private DNS name");

    /// <summary>
    /// Treats any registry host as ECR (<c>--ecr</c>): for a private DNS name, a VPC endpoint or a test endpoint.
    /// When <paramref name="host"/> is a real ECR host its account and region win unless <paramref name="region"/> is given.
    /// </summary>
    public static EcrRegistryHost Forced(string host, string region, string? accountId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(region);
        if (accountId is not null && !AccountPattern().IsMatch(accountId))
        {
            throw new FormatException($"'{accountId}' is not an AWS account id (12 digits)");
        }

        return TryParse(host, out var parsed)
            ? new EcrRegistryHost(parsed.Host, accountId ?? parsed.AccountId, region, parsed.IsFips, parsed.IsChina)
            : new EcrRegistryHost(host.ToLowerInvariant(), accountId, region, fips: false, china: region.StartsWith("cn-", StringComparison.Ordinal));
    }

    /// <summary>The registry host of account <paramref name="accountId"/> in <paramref name="region"/>.</summary>
    public static EcrRegistryHost For(string accountId, string region, bool fips = false)
    {
        var china = region.StartsWith("cn-", StringComparison.Ordinal);
        return Parse($"{accountId}.dkr.ecr{(fips ? "-fips" : "")}.{region}.amazonaws.com{(china ? ".cn" : "")}");
    }

    /// <inheritdoc />
    public override string ToString() => Host;

    [GeneratedRegex(@"^(?<account>[0-9]{12})\.dkr\.ecr(?<fips>-fips)?\.(?<region>[a-z]{2}(-[a-z]+)+-[0-9]+)\.amazonaws\.com(?<cn>\.cn)?(:443)?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();
}
