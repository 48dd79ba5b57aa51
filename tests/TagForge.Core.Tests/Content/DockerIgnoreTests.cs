namespace TagForge.Content;

/// <summary>The docker engine's .dockerignore rules (moby patternmatcher), as TagForge hashes a context with them.</summary>
public class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.log", "app.log", true)]
    [InlineData("*.log", "logs/app.log", false)] // * does not cross directories
    [InlineData("**/*.log", "logs/deep/app.log", true)]
    [InlineData("**/*.log", "app.log", true)] // ** also matches no directory
    [InlineData("node_modules", "node_modules/x/index.js", true)] // a matching parent takes its contents
    [InlineData("/build/", "build/out.bin", true)] // leading and trailing slashes are cleaned
    [InlineData("./docs/../tmp", "tmp/a", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("[ab].txt", "b.txt", true)]
    [InlineData("[!ab].txt", "c.txt", true)]
    [InlineData("data/**", "data/x/y", true)]
    [InlineData(@"\*.txt", "*.txt", true)]
    [InlineData(@"\*.txt", "a.txt", false)]
    [InlineData("# comment", "# comment", false)]
    public void Matches_like_the_docker_engine(string pattern, string path, bool ignored)
    {
        Assert.Equal(ignored, DockerIgnore.Parse(pattern + "\n").IsIgnored(path));
    }

    [Fact]
    public void An_exclamation_mark_keeps_what_an_earlier_pattern_ignored_and_the_last_match_wins()
    {
        var ignore = DockerIgnore.Parse("*.md\n!README.md\nREADME*\n!README.md\ndocs\n!docs/keep.txt\n");

        Assert.True(ignore.IsIgnored("CHANGES.md"));
        Assert.False(ignore.IsIgnored("README.md"));
        Assert.True(ignore.IsIgnored("README.txt"));
        Assert.True(ignore.IsIgnored("docs/other.txt"));
        Assert.False(ignore.IsIgnored("docs/keep.txt"));
        Assert.False(ignore.IsIgnored("src/main.c"));
    }

    [Fact]
    public void Blank_lines_and_comments_are_skipped_and_crlf_is_tolerated()
    {
        var ignore = DockerIgnore.Parse("# build output\r\n\r\n  bin  \r\n");

        Assert.True(ignore.IsIgnored("bin/app"));
        Assert.False(ignore.IsIgnored("src/bin.c"));
    }
}
