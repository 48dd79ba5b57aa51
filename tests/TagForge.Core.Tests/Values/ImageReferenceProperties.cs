using CsCheck;

namespace TagForge.Values;

/// <summary>
/// Properties of the reference parser over generated input (CsCheck): any text either parses or fails with the one
/// documented exception, and a reference written the way Docker writes them survives Parse and ToString unchanged.
/// </summary>
public sealed class ImageReferenceProperties
{
    private const string ReferenceCharacters = "abcAZ09._-/:@[]";

    private static readonly Gen<string> Component = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 8],
        Gen.Select(Gen.String[Gen.Char["abcxyz019"], 1, 4], Gen.OneOf(".", "_", "__", "-", "--"), Gen.String[Gen.Char["abcxyz019"], 1, 4], (a, separator, b) => a + separator + b));

    private static readonly Gen<string> Registry = Gen.OneOf(
        Gen.Const(""),
        Gen.OneOf("localhost/", "docker.io/", "registry.example.com/", "127.0.0.1/", "[::1]/"),
        Gen.Select(Gen.OneOf("localhost", "registry.example.com", "10.0.0.1", "[::1]", "Host-1.example"), Gen.Int[1, 65535], (host, port) => $"{host}:{port}/"));

    private static readonly Gen<string> Tag = Gen.OneOf(
        Gen.Const(""),
        Gen.Select(Gen.Char["abcXYZ019_"], Gen.String[Gen.Char["abcXYZ019_.-"], 0, 20], (first, rest) => ":" + first + rest));

    private static readonly Gen<string> DigestText = Gen.OneOf(
        Gen.Const(""),
        Gen.String[Gen.Char["0123456789abcdef"], 64, 64].Select(hex => "@sha256:" + hex));

    private static readonly Gen<string> WellFormed =
        Gen.Select(Registry, Component.Array[1, 4], Tag, DigestText, (registry, path, tag, digest) => registry + string.Join('/', path) + tag + digest);

    [Fact]
    public void Any_text_parses_or_fails_with_a_FormatException_and_TryParse_never_throws()
    {
        Gen.OneOf(Gen.String, Gen.String[Gen.Char[ReferenceCharacters], 0, 60]).Sample(text =>
        {
            var parsed = ImageReference.TryParse(text, out var reference, out var error);
            Assert.True(parsed ? reference is not null && error is null : reference is null && error is not null);
            if (!parsed)
            {
                Assert.Equal(error, Assert.Throws<FormatException>(() => ImageReference.Parse(text)).Message);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void A_well_formed_reference_round_trips_through_Parse_and_ToString()
    {
        WellFormed.Sample(text =>
        {
            var reference = ImageReference.Parse(text);
            Assert.Equal(text, reference.ToString());
            Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
            Assert.Equal(reference.FullName, ImageReference.Parse(reference.FullName).FullName);
        }, iter: 5_000);
    }

    [Fact]
    public void Whatever_parses_prints_back_as_text_that_parses_to_the_same_reference()
    {
        Gen.String[Gen.Char[ReferenceCharacters], 1, 60].Sample(text =>
        {
            if (ImageReference.TryParse(text, out var reference))
            {
                Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
            }
        }, iter: 20_000);
    }

    [Fact]
    public void A_tag_is_valid_exactly_when_it_explains_nothing_and_never_holds_a_control_character()
    {
        Gen.String[Gen.Char["aZ09_.-\0\u0001\n\t /:"], 0, 140].Sample(text =>
        {
            var valid = ImageTag.TryParse(text, out _);
            Assert.Equal(valid, ImageTag.Explain(text) is null);
            Assert.True(!valid || !text.Any(char.IsControl));
        }, iter: 20_000);
    }
}
