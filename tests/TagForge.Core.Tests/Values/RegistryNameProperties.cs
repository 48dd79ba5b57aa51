using CsCheck;
using TagForge.Registry;

namespace TagForge.Values;

/// <summary>
/// One registry spelled many ways is one registry (<see cref="RegistryName"/>), for every consumer that compares
/// references (pin, verify, lint, resolve, prune through <see cref="ImageReference.FullName"/>) and for the credential
/// chain (<see cref="RegistryHost.Normalize"/>). Spellings are generated (CsCheck).
/// </summary>
public sealed class RegistryNameProperties
{
    private static readonly Gen<string> Host = Gen.OneOf("registry.example.com", "ghcr.io", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "my-reg.internal");

    private static readonly Gen<string> Path = Gen.OneOf("team/app", "app/api/v2", "a");

    /// <summary>Each letter upper- or lower-case at random.</summary>
    private static Gen<string> AnyCase(string text) =>
        Gen.Bool.Array[text.Length].Select(upper => string.Concat(text.Select((c, i) => upper[i] ? char.ToUpperInvariant(c) : c)));

    private static readonly Gen<string> HubSpelling = Gen.OneOf("", "docker.io/", "index.docker.io/", "registry-1.docker.io/", "registry.hub.docker.com/", "docker.io:443/", "INDEX.DOCKER.IO/")
        .SelectMany(prefix => AnyCase(prefix).Select(cased => cased));

    [Fact]
    public void A_host_in_any_case_with_or_without_the_default_port_names_the_same_repository()
    {
        Gen.Select(Host, Path, Gen.Bool, Gen.Bool).SelectMany((host, path, port, tagged) =>
            AnyCase(host).Select(cased => (host, path, written: cased + (port ? ":443" : "") + "/" + path + (tagged ? ":v1" : "")))).Sample(sample =>
        {
            var reference = ImageReference.Parse(sample.written);
            Assert.Equal($"{sample.host}/{sample.path}", reference.FullName);
            Assert.True(RegistryHost.SameRegistry(sample.written.Split('/')[0], sample.host));
        }, iter: 2_000);
    }

    [Fact]
    public void Every_docker_hub_spelling_is_docker_io_with_library_for_a_one_segment_name()
    {
        Gen.Select(HubSpelling, Gen.OneOf("nginx", "bitnami/redis")).Sample((prefix, name) =>
        {
            var reference = ImageReference.Parse(prefix + name + ":1.25");
            Assert.Equal("docker.io", reference.Registry);
            Assert.Equal(name.Contains('/', StringComparison.Ordinal) ? name : "library/" + name, reference.Repository);
            Assert.Equal("registry-1.docker.io", reference.ApiHost);
            Assert.Equal(prefix + name, reference.Name);
        }, iter: 1_000);
    }

    [Fact]
    public void A_port_other_than_443_and_a_loopback_443_stay_part_of_the_name()
    {
        Gen.Select(Host, Gen.Int[1, 65535]).Where((_, port) => port != 443).Sample((host, port) =>
            Assert.Equal($"{host}:{port}", ImageReference.Parse($"{host}:{port}/app").Registry));
        Assert.Equal("localhost:443", ImageReference.Parse("LOCALHOST:443/app").Registry);
        Assert.Equal("127.0.0.1:443", ImageReference.Parse("127.0.0.1:443/app").Registry);
        Assert.Equal("[::1]:443", ImageReference.Parse("[::1]:443/app").Registry);
    }

    [Fact]
    public void Normalising_is_idempotent_and_agrees_with_the_credential_chain()
    {
        Gen.OneOf(Host, Gen.Const("LOCALHOST:5000"), Gen.Const("Registry.Example.COM:443"), Gen.Const("registry.hub.docker.com"), Gen.Const("[::1]:5000"))
            .SelectMany(AnyCase).Sample(host =>
            {
                var once = RegistryName.Normalize(host);
                Assert.Equal(once, RegistryName.Normalize(once));
                Assert.Equal(once, RegistryHost.Normalize("https://" + host + "/v1/"));
                Assert.Equal(once, ImageReference.Parse(host + "/team/app").Registry);
            }, iter: 1_000);
    }

    [Theory]
    [InlineData("https://registry.example.com/app", "https://", "registry.example.com/app")]
    [InlineData("http://localhost:5000/team/app:v1", "http://", "localhost:5000/team/app:v1")]
    [InlineData("oci://ghcr.io/org/chart", "oci://", "ghcr.io/org/chart")]
    public void A_scheme_is_refused_with_the_reference_to_write_instead(string text, string scheme, string instead)
    {
        var error = Assert.Throws<FormatException>(() => ImageReference.Parse(text));
        Assert.Equal($"'{text}' starts with a scheme '{scheme}': an image reference has none; drop it ({instead})", error.Message);
    }
}
