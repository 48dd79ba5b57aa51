using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Tagging;

/// <summary>{content} and {content:N}: the caller's content hash in the tag.</summary>
public class ContentPlaceholderTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Renders_the_hash_whole_or_shortened()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync("one");
        var request = new TagRequest { RepositoryPath = repository.Path, Content = Hash, BuildNumber = "7" };

        Assert.Equal(Hash, TagGenerator.Generate(request with { Template = "{content}" }).Tag);
        Assert.Equal("c-0123456789ab-7", TagGenerator.Generate(request with { Template = "c-{content:12}-{build}" }).Tag);
    }

    [Fact]
    public async Task Without_a_hash_it_says_where_it_works()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync("one");

        var error = Assert.Throws<BadInputException>(() => TagGenerator.Generate(new TagRequest { RepositoryPath = repository.Path, Template = "{content}" }));
        Assert.Contains("images: in tagforge.yml", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{content:0}")]
    [InlineData("{content:65}")]
    [InlineData("{content:x}")]
    public void A_bad_length_is_refused(string template)
    {
        Assert.Throws<BadInputException>(() => TagTemplate.Parse(template));
    }
}
