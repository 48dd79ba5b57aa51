using TagForge.Errors;

namespace TagForge.Tagging;

public class TagTemplateTests
{
    [Fact]
    public void Parses_literals_and_placeholders_in_order()
    {
        var template = TagTemplate.Parse("v.{sha:8}_{time:yyyyMMddHHmm}-{build}");

        Assert.Collection(
            template.Segments,
            s => Assert.Equal(new LiteralSegment("v."), s),
            s => Assert.Equal(new PlaceholderSegment(PlaceholderKind.Sha, "8", "{sha:8}"), s),
            s => Assert.Equal(new LiteralSegment("_"), s),
            s => Assert.Equal(new PlaceholderSegment(PlaceholderKind.Time, "yyyyMMddHHmm", "{time:yyyyMMddHHmm}"), s),
            s => Assert.Equal(new LiteralSegment("-"), s),
            s => Assert.Equal(new PlaceholderSegment(PlaceholderKind.Build, null, "{build}"), s));
    }

    [Theory]
    [InlineData("{nope}", "unknown placeholder {nope}")]
    [InlineData("v{sha", "unclosed '{' at position 2")]
    [InlineData("v{sha{build}", "unclosed '{' at position 2")]
    [InlineData("v}x", "'}' without '{' at position 2")]
    [InlineData("{sha:0}", "bad length in {sha:0}")]
    [InlineData("{sha:abc}", "bad length in {sha:abc}")]
    [InlineData("{sha:65}", "bad length in {sha:65}")]
    [InlineData("{time:yyyy/MM}", "bad time format in {time:yyyy/MM}: it produces '/'")]
    [InlineData("{time:HH:mm}", "bad time format in {time:HH:mm}: it produces ':'")]
    [InlineData("{time:s}", "bad time format in {time:s}")]
    [InlineData("{commit-time:yyyy MM}", "bad time format in {commit-time:yyyy MM}: it produces ' '")]
    [InlineData("{time:}", "empty time format in {time:}")]
    [InlineData("{time:'unclosed}", "bad time format in {time:'unclosed}")]
    [InlineData("{env}", "{env} needs a variable name")]
    [InlineData("{branch:x}", "{branch} takes no argument")]
    [InlineData("app/{sha}", "has '/' in its literal text 'app/'")]
    [InlineData("-{sha}", "starts with '-'")]
    [InlineData(".{sha}", "starts with '.'")]
    [InlineData("", "the tag template is empty")]
    public void Rejects_bad_templates_naming_the_fault(string template, string expected)
    {
        var exception = Assert.Throws<BadInputException>(() => TagTemplate.Parse(template));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.BadInput, exception.ExitCode);
        Assert.DoesNotContain('\n', exception.Message);
    }

    [Theory]
    [InlineData("yyyyMMddHHmmss", "20261122184005")]
    [InlineData("yyyy.MM.dd-HH_mm", "2026.11.22-18_40")]
    [InlineData("unix", "1795372805")]
    public void Formats_times_in_utc(string format, string expected)
    {
        var time = new DateTimeOffset(2026, 11, 22, 19, 40, 5, TimeSpan.FromHours(1));

        Assert.Equal(expected, TagTemplate.FormatTime(time, format));
    }
}
