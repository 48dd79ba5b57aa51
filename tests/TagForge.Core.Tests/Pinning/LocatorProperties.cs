using System.Text;
using CsCheck;
using TagForge.Errors;

namespace TagForge.Pinning;

/// <summary>
/// Properties of the YAML and JSON locators and the pinner over generated input (CsCheck): any bytes are a
/// deployment file or a <see cref="BadInputException"/>, never another exception; pinning a generated Compose or
/// ECS file and pinning the result again changes nothing more, and every image of the record ends at its digest.
/// </summary>
public sealed class LocatorProperties
{
    private const string ApiDigest = "sha256:14c2529eb4498c5d1ffd6915d05bf58a91bdda796af59f41d480d11c099d0479";
    private const string NginxDigest = "sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65";

    private static readonly Gen<string> YamlLike = Gen.String[Gen.Char["{}[]:,-'\"\n #&*!|>?%@`ab01 \t.\\"], 0, 120];

    private static readonly Gen<string> JsonLike = Gen.String[Gen.Char["{}[]:,\"\\ \nabe01.-tru"], 0, 120];

    private static readonly Gen<string> Image = Gen.OneOf(
        "nginx", "nginx:1.25", "docker.io/library/nginx:1", "registry.example.com:5000/shop/api", "registry.example.com:5000/shop/api:2.4.0",
        "redis:7", "example.com/other/app:1", "${IMAGE}", $"nginx@{NginxDigest}");

    private static readonly Gen<string> Quote = Gen.OneOf("", "\"", "'");

    private static readonly Gen<string> Compose = Gen.Select(Image, Quote, Gen.OneOf("", " # pinned by tagforge")).Array[1, 5]
        .Select(services => "services:\n" + string.Concat(services.Select((service, i) =>
            $"  s{i}:\n    image: {service.Item2}{service.Item1}{service.Item2}{service.Item3}\n")));

    private static readonly Gen<string> TaskDefinition = Image.Array[1, 4]
        .Select(images => "{\"family\": \"app\", \"containerDefinitions\": [" + string.Join(", ", images.Select((image, i) => $"{{\"name\": \"c{i}\", \"image\": \"{image}\"}}")) + "]}\n");

    private static void ParsesOrIsBadInput(string name, byte[] bytes)
    {
        try
        {
            var file = DeploymentFile.Parse(name, bytes);
            _ = Pinner.Pin(file, CorpusTests.Record);
        }
        catch (BadInputException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }
    }

    [Fact]
    public void Any_yaml_like_text_is_a_deployment_file_or_bad_input()
    {
        Gen.OneOf(YamlLike, Compose.Select(Gen.Int[0, 200], (text, cut) => text[..Math.Min(cut, text.Length)]))
            .Sample(text => ParsesOrIsBadInput("any.yaml", Encoding.UTF8.GetBytes(text)), iter: 5_000);
    }

    [Fact]
    public void Any_json_like_text_is_a_deployment_file_or_bad_input()
    {
        Gen.OneOf(JsonLike, TaskDefinition.Select(Gen.Int[0, 200], (text, cut) => text[..Math.Min(cut, text.Length)]))
            .Sample(text => ParsesOrIsBadInput("any.json", Encoding.UTF8.GetBytes(text)), iter: 5_000);
    }

    [Fact]
    public void Any_bytes_are_a_deployment_file_or_bad_input()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            ParsesOrIsBadInput("bytes.yaml", bytes);
            ParsesOrIsBadInput("bytes.json", bytes);
        }, iter: 3_000);
    }

    [Fact]
    public void Pinning_a_compose_file_twice_is_pinning_it_once_and_the_record_images_end_at_their_digests()
    {
        Compose.Sample(text => PinsOnce("compose.yaml", text), iter: 2_000);
    }

    [Fact]
    public void Pinning_a_task_definition_twice_is_pinning_it_once_and_the_record_images_end_at_their_digests()
    {
        TaskDefinition.Sample(text => PinsOnce("task.json", text), iter: 2_000);
    }

    private static void PinsOnce(string name, string text)
    {
        var once = Pinner.Pin(DeploymentFile.Parse(name, Encoding.UTF8.GetBytes(text)), CorpusTests.Record).Text;
        var pinned = DeploymentFile.Parse(name, Encoding.UTF8.GetBytes(once));
        var twice = Pinner.Pin(pinned, CorpusTests.Record).Text;

        Assert.Equal(once, twice);
        foreach (var site in pinned.Images.Where(site => site.Reference is not null))
        {
            var expected = site.Reference!.Repository switch
            {
                "library/nginx" => NginxDigest,
                "shop/api" when site.Reference.Registry == "registry.example.com:5000" => ApiDigest,
                _ => null,
            };
            if (expected is not null)
            {
                Assert.Equal(expected, site.Reference.Digest?.ToString());
            }
        }
    }
}
