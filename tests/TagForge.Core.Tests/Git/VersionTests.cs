using TagForge.Errors;
using TagForge.Tagging;
using TagForge.Testing;

namespace TagForge.Git;

public class VersionTests
{
    private static string Render(TestRepository repository, string template) =>
        TagGenerator.Generate(new TagRequest { Template = template, RepositoryPath = repository.Path }, IO.DictionaryEnvironment.Empty).Tag;

    [Fact]
    public async Task Counts_every_commit_when_there_is_no_tag()
    {
        using var repository = await TestRepository.InitAsync();
        for (var i = 0; i < 5; i++)
        {
            await repository.CommitAsync();
        }

        Assert.Equal("5", Render(repository, "{height}"));
        Assert.Equal("0.0.0-alpha.0.5", Render(repository, "{version}"));
        Assert.Equal((await repository.GitAsync("rev-list", "--count", "HEAD")).Trim(), Render(repository, "{height}"));
    }

    [Fact]
    public async Task Uses_the_tag_on_head_at_height_zero()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        await repository.TagAsync("v1.4.0", annotated: true);

        Assert.Equal("1.4.0", Render(repository, "{version}"));
        Assert.Equal("0", Render(repository, "{height}"));
    }

    [Fact]
    public async Task Bumps_the_patch_past_a_release_tag_and_extends_a_prerelease()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        await repository.TagAsync("v1.4.0");
        await repository.CommitAsync();
        await repository.CommitAsync();
        await repository.CommitAsync();

        Assert.Equal("1.4.1-alpha.0.3", Render(repository, "{version}"));
        Assert.Equal("3", Render(repository, "{height}"));

        await repository.TagAsync("v2.0.0-rc.1");
        await repository.CommitAsync();
        Assert.Equal("2.0.0-rc.1.1", Render(repository, "{version}"));
    }

    [Fact]
    public async Task Ignores_tags_that_are_not_v_prefixed_semver()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        await repository.TagAsync("release-1");
        await repository.TagAsync("v1.2");
        await repository.CommitAsync();

        Assert.Equal("2", Render(repository, "{height}"));
    }

    [Fact]
    public async Task Picks_the_highest_version_among_tags_reached_through_merges()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        await repository.TagAsync("v1.0.0");
        await repository.CreateBranchAsync("hotfix");
        await repository.CommitAsync("hotfix");
        await repository.TagAsync("v0.9.5");
        await repository.CheckoutAsync("main");
        await repository.CommitAsync("main");
        await repository.TagAsync("v1.1.0");
        await repository.GitAsync("merge", "--no-ff", "--quiet", "-m", "merge hotfix", "hotfix");

        Assert.Equal("1.1.1-alpha.0.2", Render(repository, "{version}"));
        Assert.Equal((await repository.GitAsync("rev-list", "--count", "v1.1.0..HEAD")).Trim(), Render(repository, "{height}"));
    }

    [Fact]
    public async Task Works_for_sha_and_branch_but_refuses_height_in_a_shallow_clone()
    {
        using var origin = await TestRepository.InitAsync();
        for (var i = 0; i < 3; i++)
        {
            await origin.CommitAsync();
        }

        var sha = await origin.HeadAsync();
        using var clone = await TestRepository.CloneShallowAsync(origin);

        Assert.Equal($"main-{sha[..8]}", Render(clone, "{branch}-{sha:8}"));
        var exception = Assert.Throws<BadInputException>(() => Render(clone, "{height}"));
        Assert.Contains("shallow clone", exception.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => Render(clone, "{version}"));
    }

    [Fact]
    public async Task Answers_height_in_a_shallow_clone_that_reaches_the_tag()
    {
        using var origin = await TestRepository.InitAsync();
        await origin.CommitAsync();
        await origin.CommitAsync();
        await origin.TagAsync("v3.0.0");
        await origin.CommitAsync();
        await origin.CommitAsync();
        using var clone = await TestRepository.CloneShallowAsync(origin, depth: 4);
        await clone.GitAsync("fetch", "--quiet", "--depth", "4", "origin", "tag", "v3.0.0");

        Assert.Equal("3.0.1-alpha.0.2", Render(clone, "{version}"));
    }

    [Theory]
    [InlineData("1.2.3", "1.2.4", true)]
    [InlineData("1.2.3-alpha", "1.2.3", true)]
    [InlineData("1.2.3-alpha.2", "1.2.3-alpha.10", true)]
    [InlineData("1.2.3-alpha", "1.2.3-alpha.1", true)]
    [InlineData("1.2.3-1", "1.2.3-alpha", true)]
    [InlineData("2.0.0", "1.9.9", false)]
    public void Orders_versions_by_semver_precedence(string lower, string higher, bool expected)
    {
        Assert.True(SemanticVersion.TryParse(lower, out var left));
        Assert.True(SemanticVersion.TryParse(higher, out var right));
        Assert.Equal(expected, left < right);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-a..b")]
    [InlineData("x.y.z")]
    public void Rejects_what_is_not_semver(string text) => Assert.False(SemanticVersion.TryParse(text, out _));
}
