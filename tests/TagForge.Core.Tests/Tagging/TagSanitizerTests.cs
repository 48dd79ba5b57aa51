using TagForge.Values;


namespace TagForge.Tagging;

public class TagSanitizerTests
{
    [Theory]
    [InlineData("feature/JIRA-1 Fix", "feature-JIRA-1-Fix")]
    [InlineData("main", "main")]
    [InlineData("release/1.2", "release-1.2")]
    [InlineData("--weird//name..", "weird-name")]
    [InlineData("dependabot/npm_and_yarn/@types/node-20", "dependabot-npm_and_yarn-types-node-20")]
    [InlineData("ünïcode", "n-code")]
    [InlineData("///", "")]
    public void Replaces_runs_of_invalid_characters_with_one_dash(string value, string expected) =>
        Assert.Equal(expected, TagSanitizer.Sanitize(value));

    [Theory]
    [InlineData("abc", true)]
    [InlineData("_abc", true)]
    [InlineData(".abc", false)]
    [InlineData("-abc", false)]
    [InlineData("a:b", false)]
    [InlineData("", false)]
    public void Validates_tags_by_the_oci_grammar(string tag, bool valid) =>
        Assert.Equal(valid, ImageTag.TryParse(tag, out _));

    [Fact]
    public void Rejects_tags_over_128_characters()
    {
        Assert.True(ImageTag.TryParse(new string('a', 128), out _));
        Assert.False(ImageTag.TryParse(new string('a', 129), out _));
    }
}
