using CsCheck;
using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Tagging;

/// <summary>
/// Properties of the template parser over generated input (CsCheck): any text is a template or a
/// <see cref="BadInputException"/>, and a template's literal text only ever holds characters a tag allows.
/// </summary>
public sealed class TagTemplateProperties
{
    private static readonly Gen<string> TemplateLike = Gen.String[Gen.Char["{}:abc019-_.shatimebrnchvrsoldty\0\u0001 /"], 0, 40];

    private static readonly Gen<string> Placeholder = Gen.OneOf("{sha}", "{sha:7}", "{sha:12}", "{time}", "{time:yyyyMMdd}", "{branch}", "{version}", "{build}", "{dirty}");

    [Fact]
    public void Any_text_is_a_template_or_a_BadInputException()
    {
        Gen.OneOf(Gen.String, TemplateLike).Sample(text =>
        {
            try
            {
                var template = TagTemplate.Parse(text);
                Assert.All(template.Segments.OfType<LiteralSegment>(), literal => Assert.Null(ImageTag.FirstInvalidCharacter(literal.Text)));
            }
            catch (BadInputException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                Assert.DoesNotContain('\0', ex.Message);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Literals_and_placeholders_joined_parse_back_to_the_same_text()
    {
        Gen.Select(Gen.String[Gen.Char["abc019-_."], 0, 6], Placeholder, Gen.String[Gen.Char["abc019-_."], 0, 6], (before, placeholder, after) => before + placeholder + after)
            .Sample(text =>
            {
                try
                {
                    Assert.Equal(text, TagTemplate.Parse(text).ToString());
                }
                catch (BadInputException)
                {
                    // A placeholder this version does not know: allowed, as long as it is bad input.
                }
            }, iter: 5_000);
    }
}
