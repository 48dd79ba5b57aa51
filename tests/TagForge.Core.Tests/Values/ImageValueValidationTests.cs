namespace TagForge.Values;

/// <summary>Values are checked where they enter: a port, a control character, a password in a URL.</summary>
public class ImageValueValidationTests
{
    [Theory]
    [InlineData("v1\0")]
    [InlineData("\0")]
    [InlineData("v1\u0001x")]
    [InlineData("v1\nx")]
    public void A_control_character_is_not_a_tag(string text)
    {
        Assert.False(ImageTag.TryParse(text, out _));
        Assert.Contains("U+00", ImageTag.Explain(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:99999/app:1", "the port must be a number from 1 to 65535, not '99999'")]
    [InlineData("localhost:0/app", "not '0'")]
    [InlineData("localhost:/app", "not ''")]
    [InlineData("host.example:12x/app", "not '12x'")]
    [InlineData("host.example:4294967297/app", "not '4294967297'")]
    [InlineData("bad_host.example/app", "a host name is letters")]
    [InlineData("[::1/app", "IPv6")]
    public void A_bad_registry_is_a_format_error_not_a_uri_crash(string text, string fragment)
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse(text));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:65535/app", "localhost:65535")]
    [InlineData("[::1]:5000/app:v1", "[::1]:5000")]
    [InlineData("Registry.Example.COM/app", "registry.example.com")]
    [InlineData("127.0.0.1:5000/team/app", "127.0.0.1:5000")]
    public void A_good_registry_still_parses(string text, string registry) => Assert.Equal(registry, ImageReference.Parse(text).Registry);

    [Theory]
    [InlineData("http://user:hunter22@host/app")]
    [InlineData("user:hunter22@host/app")]
    [InlineData("https://user:hunter22@host:5000/app:v1")]
    public void A_password_in_a_reference_is_not_quoted_in_the_error(string text)
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse(text));
        Assert.DoesNotContain("hunter22", error.Message, StringComparison.Ordinal);
        Assert.Contains("***", error.Message, StringComparison.Ordinal);
    }
}
