using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Ecr;

public sealed class EcrRegistryHostTests
{
    [Theory]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012", "eu-west-1", false, false)]
    [InlineData("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "123456789012", "us-gov-west-1", true, false)]
    [InlineData("210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn", "210987654321", "cn-north-1", false, true)]
    [InlineData("123456789012.DKR.ECR.ap-southeast-2.amazonaws.com", "123456789012", "ap-southeast-2", false, false)]
    public void Reads_account_and_region_from_an_ECR_host(string host, string account, string region, bool fips, bool china)
    {
        Assert.True(EcrRegistryHost.TryParse(host, out var registry));
        Assert.Equal(account, registry.AccountId);
        Assert.Equal(region, registry.Region);
        Assert.Equal(fips, registry.IsFips);
        Assert.Equal(china, registry.IsChina);
        Assert.Equal(host.ToLowerInvariant(), registry.Host);
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("localhost:5000")]
    [InlineData("12345.dkr.ecr.eu-west-1.amazonaws.com")]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example")]
    [InlineData("public.ecr.aws")]
    [InlineData("")]
    public void Does_not_take_other_hosts_for_ECR(string host) => Assert.False(EcrRegistryHost.IsEcr(host));

    [Fact]
    public void Ecr_flag_forces_a_private_DNS_name_with_the_given_region()
    {
        var registry = EcrRegistryHost.Forced("registry.internal.example:443", "eu-central-1");

        Assert.Equal("registry.internal.example:443", registry.Host);
        Assert.Null(registry.AccountId);
        Assert.Equal("eu-central-1", registry.Region);
    }

    [Theory]
    [InlineData("eu-west-1", false, "https://api.ecr.eu-west-1.amazonaws.com/")]
    [InlineData("cn-northwest-1", false, "https://api.ecr.cn-northwest-1.amazonaws.com.cn/")]
    [InlineData("us-east-1", true, "https://ecr-fips.us-east-1.amazonaws.com/")]
    public void Uses_the_regional_endpoint_by_default(string region, bool fips, string expected) =>
        Assert.Equal(new Uri(expected), EcrEndpoint.Resolve(null, region, fips, DictionaryEnvironment.Empty));

    [Fact]
    public void Endpoint_url_beats_AWS_ENDPOINT_URL_ECR_which_beats_AWS_ENDPOINT_URL()
    {
        var both = new DictionaryEnvironment(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_ECR"] = "http://ecr.local:1/",
            ["AWS_ENDPOINT_URL"] = "http://all.local:2/",
        });
        var global = new DictionaryEnvironment(new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://all.local:2/" });

        Assert.Equal("cli.local", EcrEndpoint.Resolve("http://cli.local:3/", "us-east-1", false, both).Host);
        Assert.Equal("ecr.local", EcrEndpoint.Resolve(null, "us-east-1", false, both).Host);
        Assert.Equal("all.local", EcrEndpoint.Resolve(null, "us-east-1", false, global).Host);
        Assert.Throws<BadInputException>(() => EcrEndpoint.Resolve("ftp://x", "us-east-1", false, both));
    }

    [Fact]
    public void Region_comes_from_the_flag_then_the_host_then_the_environment()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["AWS_REGION"] = "ca-central-1" });
        var host = EcrRegistryHost.Parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com");

        Assert.Equal("us-west-2", AwsRegion.Resolve("us-west-2", host, environment));
        Assert.Equal("eu-west-1", AwsRegion.Resolve(null, host, environment));
        Assert.Equal("ca-central-1", AwsRegion.Resolve(null, null, environment));
    }

    [Fact]
    public void Decodes_an_authorization_token_and_never_prints_the_password()
    {
        var data = new EcrAuthorizationData(Convert.ToBase64String("AWS:s3cr3t-pass"u8.ToArray()), 1_700_000_000.5, "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com");

        var login = EcrRegistryLogin.Decode(data, DateTimeOffset.UnixEpoch);

        Assert.Equal("AWS", login.Username);
        Assert.Equal("s3cr3t-pass", login.Password);
        Assert.Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com", login.ServerAddress);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500), login.ExpiresAt);
        Assert.DoesNotContain("s3cr3t", login.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secretkey", new AwsCredentials("AKID", "secretkey", "tok").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app", null, "app")]
    [InlineData("team/app", null, "team/app")]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "team/app")]
    public void Splits_a_repository_argument_into_registry_and_name(string text, string? registry, string repository) =>
        Assert.Equal((registry, repository), EcrRepositoryName.Split(text));
}
