namespace TagForge.Errors;

public class RedactionTests
{
    [Theory]
    [InlineData("'http://user:hunter22@host/app' is bad", "'http://***@host/app' is bad")]
    [InlineData("https://ghp_abcdef123456@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("'user:hunter22@host/app' has a malformed digest", "'***@host/app' has a malformed digest")]
    [InlineData("Authorization: Basic dXNlcjpodW50ZXIyMg==", "Authorization: Basic ***")]
    [InlineData("authorization=Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "authorization=Bearer ***")]
    [InlineData("\"Authorization\":\"Bearer abc.def-123\"", "\"Authorization\":\"Bearer ***\"")]
    [InlineData("sent Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig to the realm", "sent Bearer *** to the realm")]
    [InlineData("GET https://auth/token?scope=x&password=hunter22&x=1", "GET https://auth/token?scope=x&password=***&x=1")]
    [InlineData("https://s3/?X-Amz-Signature=abcdef0123&X-Amz-Security-Token=FQoG", "https://s3/?X-Amz-Signature=***&X-Amz-Security-Token=***")]
    public void Masks_what_carries_a_secret(string text, string expected) => Assert.Equal(expected, Redaction.Redact(text));

    [Theory]
    [InlineData("app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("localhost:5000/team/app:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("the registry asks for basic authentication; log in first")]
    [InlineData("WWW-Authenticate: Bearer realm=\"https://auth.example.com/token\",service=\"registry\"")]
    [InlineData("docker.io/library/nginx:1.27 is missing")]
    [InlineData("tagforge: pushed localhost:5000/app:20260101-abc (sha256:0123)")]
    public void Leaves_ordinary_lines_alone(string text) => Assert.Equal(text, Redaction.Redact(text));

    [Fact]
    public void Masks_the_values_of_secret_variables_wherever_they_appear()
    {
        var secrets = Redaction.SecretsAmong(
        [
            new("TAGFORGE_REGISTRY_PASSWORD", "s3cr3t-pw"),
            new("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG"),
            new("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEJr"),
            new("MY_SERVICE_TOKEN", "tok-123456"),
            new("HOME", "/root"),
            new("SHORT_PASSWORD", "abc"),
        ]);

        Assert.Equal(4, secrets.Count);
        Assert.Equal(
            "login failed for *** with ***, *** and ***; HOME is /root, abc stays",
            Redaction.Redact("login failed for s3cr3t-pw with wJalrXUtnFEMI/K7MDENG, FwoGZXIvYXdzEJr and tok-123456; HOME is /root, abc stays", secrets));
    }

    [Theory]
    [InlineData("TAGFORGE_REGISTRY_PASSWORD", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("AWS_SESSION_TOKEN", true)]
    [InlineData("GITHUB_TOKEN", true)]
    [InlineData("NPM_API_KEY", true)]
    [InlineData("TAGFORGE_REGISTRY_USERNAME", false)]
    [InlineData("AWS_ACCESS_KEY_ID", false)]
    [InlineData("PATH", false)]
    public void Knows_secret_variables_by_name(string name, bool secret) => Assert.Equal(secret, Redaction.IsSecretVariable(name));

    [Fact]
    public void Is_idempotent()
    {
        const string Text = "http://u:p4ssword@h/a Authorization: Basic dXNlcjpwYXNz password=x1";
        var once = Redaction.Redact(Text);
        Assert.Equal(once, Redaction.Redact(once));
        Assert.DoesNotContain("p4ssword", once, StringComparison.Ordinal);
    }
}
