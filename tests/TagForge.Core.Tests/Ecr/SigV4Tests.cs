using TagForge.Testing.Ecr;

namespace TagForge.Ecr;

/// <summary>
/// The fake ECR's own SigV4 implementation against AWS's published SigV4 test suite (credentials AKIDEXAMPLE /
/// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, us-east-1, service "service", 20150830T123600Z): get-vanilla,
/// get-vanilla-query-order-key-case and post-vanilla; and AWSSDK.Core's signer (TagForge's) against it.
/// </summary>
public sealed class SigV4Tests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20150830T123600Z";
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly Dictionary<string, string> VanillaHeaders = new()
    {
        ["Host"] = "example.amazonaws.com",
        ["X-Amz-Date"] = AmzDate,
    };

    [Fact]
    public void Reproduces_the_test_suite_get_vanilla_canonical_request_and_string_to_sign()
    {
        var canonical = SigV4.CanonicalRequest("GET", "/", "", VanillaHeaders, ["host", "x-amz-date"], EmptyHash);
        Assert.Equal("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyHash, canonical);
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            SigV4.StringToSign(AmzDate, "20150830/us-east-1/service/aws4_request", canonical));
    }

    [Theory]
    [InlineData("GET", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("GET", "?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // get-vanilla-query-order-key-case
    [InlineData("POST", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    public void Reproduces_the_published_test_suite_signatures(string method, string query, string signature)
    {
        var authorization = SigV4.AuthorizationFor(AccessKey, Secret, "us-east-1", "service", AmzDate, method, "/", query, VanillaHeaders, EmptyHash);

        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}", authorization);
    }

    [Fact]
    public void Parses_an_authorization_header_into_its_scope_and_signed_headers()
    {
        var parsed = SigV4.ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecr/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc");

        Assert.NotNull(parsed);
        Assert.Equal("AKIDEXAMPLE", parsed.AccessKeyId);
        Assert.Equal("20150830/us-east-1/ecr/aws4_request", parsed.Scope);
        Assert.Equal(["content-type", "host", "x-amz-date"], parsed.SignedHeaders);
        Assert.Null(SigV4.ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecr, Signature=abc"));
    }

    [Fact]
    public void TagForges_signer_produces_signatures_the_independent_implementation_verifies()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));
        using var client = new EcrClient(new EcrClientOptions("us-east-1", new Uri("http://127.0.0.1:4566/")), new StaticAwsCredentialSource(new AwsCredentials(AccessKey, Secret)), time: time);
        var body = "{\"repositoryName\":\"app\"}"u8.ToArray();

        var headers = client.Sign("DescribeRepositories", body, new AwsCredentials(AccessKey, Secret, "session-token"));

        var parsed = SigV4.ParseAuthorization(headers["authorization"]);
        Assert.NotNull(parsed);
        Assert.Equal(["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"], parsed.SignedHeaders);
        Assert.Equal("127.0.0.1:4566", headers["host"]);
        Assert.Equal("AmazonEC2ContainerRegistry_V20150921.DescribeRepositories", headers["x-amz-target"]);
        var canonical = SigV4.CanonicalRequest("POST", "/", "", headers.ToDictionary(), parsed.SignedHeaders, SigV4.PayloadHash(body));
        var expected = SigV4.Signature(Secret, "20150830", "us-east-1", "ecr", SigV4.StringToSign(AmzDate, parsed.Scope, canonical));
        Assert.Equal(expected, parsed.Signature);
    }
}
