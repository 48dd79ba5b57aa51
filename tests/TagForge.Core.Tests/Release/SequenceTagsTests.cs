using TagForge.IO;
using TagForge.Tagging;
using TagForge.Testing;

namespace TagForge.Release;

/// <summary>{seq} numbering from a registry's tags; needs git (a real repository).</summary>
public class SequenceTagsTests
{
    [Theory]
    [InlineData("v{seq}", new[] { "v1", "v12", "v9", "latest", "v12-rc", "xv99" }, 13)]
    [InlineData("v{seq}", new string[0], 1)]
    [InlineData("{branch}-{seq}", new[] { "main-3", "feature-40", "main-x" }, 4)]
    public async Task Numbers_after_the_highest_matching_tag(string template, string[] tags, long expected)
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        var request = new TagRequest { Template = template, RepositoryPath = repository.Path };

        Assert.True(SequenceTags.Uses(request));
        var (pinned, pattern) = SequenceTags.Prepare(request, DictionaryEnvironment.Empty);
        var next = SequenceTags.Next(pattern, tags);

        Assert.Equal(expected, next);
        Assert.NotNull(pinned.Time);
        Assert.EndsWith(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), TagGenerator.Generate(pinned with { Sequence = next }, DictionaryEnvironment.Empty).Tag, StringComparison.Ordinal);
    }

    [Fact]
    public void Knows_templates_without_seq()
    {
        Assert.False(SequenceTags.Uses(new TagRequest { Template = "v.{sha:8}" }));
        Assert.False(SequenceTags.Uses(new TagRequest()));
    }
}
