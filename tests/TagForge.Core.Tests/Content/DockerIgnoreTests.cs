using TagForge.Errors;

namespace TagForge.Content;

/// <summary>
/// The docker engine's .dockerignore rules (moby's ignorefile and patternmatcher), including the table of moby's own
/// patternmatcher_test.go and the places where the engine reads a pattern differently from a glob library.
/// </summary>
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
    [InlineData("data/**", "data/x/y", true)]
    [InlineData(@"\*.txt", "*.txt", true)]
    [InlineData(@"\*.txt", "a.txt", false)]
    [InlineData("# comment", "# comment", false)]
    [InlineData(" # not a comment", "# not a comment", true)] // only column 0 starts a comment
    [InlineData("[!ab].txt", "c.txt", false)] // Go's regexp: [!ab] is '!', 'a' or 'b', not a negation
    [InlineData("[!ab].txt", "a.txt", true)]
    [InlineData("[!ab].txt", "!.txt", true)]
    [InlineData("[^ab].txt", "c.txt", true)] // ^ negates
    [InlineData(@"\a", "a", false)] // \a is the bell character in Go's regexp, not the letter
    [InlineData(@"\a", "\a", true)]
    [InlineData(@"f\d", "f7", true)] // \d is a digit
    [InlineData(@"f\d", "fd", false)]
    [InlineData(@"\.x", ".x", true)]
    [InlineData("**foo", "barfoo", true)] // a leading ** with no specials is a plain suffix test
    [InlineData("**foo", "dir/barfoo", true)]
    [InlineData("a**", "abc/d", true)] // a trailing ** with no specials is a plain prefix test
    [InlineData("abc/**", "abc", false)]
    [InlineData("[[:digit:]]x", "5x", true)]
    [InlineData("[[:digit:]]x", "ax", false)]
    [InlineData("../x", "x", false)] // ".." stays; it never matches a path in the context
    [InlineData("x/../../y", "y", false)]
    [InlineData("ü*", "über", true)]
    [InlineData("?", "日", true)] // one rune, not one UTF-16 unit
    [InlineData("?", "😀", true)]
    [InlineData("a\u00A0", "a", true)] // Go's TrimSpace trims Unicode white space too
    public void Matches_like_the_docker_engine(string pattern, string path, bool ignored)
    {
        Assert.Equal(ignored, DockerIgnore.Parse(pattern + "\n").IsIgnored(path));
    }

    /// <summary>moby/patternmatcher's TestMatches table (MatchesOrParentMatches).</summary>
    [Theory]
    [InlineData("**", "file", true)]
    [InlineData("**", "file/", true)]
    [InlineData("**/", "file", true)]
    [InlineData("**/", "file/", true)]
    [InlineData("**", "/", true)]
    [InlineData("**/", "/", true)]
    [InlineData("**", "dir/file", true)]
    [InlineData("**/", "dir/file", true)]
    [InlineData("**", "dir/file/", true)]
    [InlineData("**/", "dir/file/", true)]
    [InlineData("**/**", "dir/file", true)]
    [InlineData("**/**", "dir/file/", true)]
    [InlineData("dir/**", "dir/file", true)]
    [InlineData("dir/**", "dir/file/", true)]
    [InlineData("dir/**", "dir/dir2/file", true)]
    [InlineData("dir/**", "dir/dir2/file/", true)]
    [InlineData("**/dir", "dir", true)]
    [InlineData("**/dir", "dir/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file/", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file/", true)]
    [InlineData("**file", "file", true)]
    [InlineData("**file", "dir/file", true)]
    [InlineData("**/file", "dir/file", true)]
    [InlineData("**file", "dir/dir/file", true)]
    [InlineData("**/file", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file.txt", true)]
    [InlineData("**/file*txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt*", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt2", "dir/dir/file.txt", false)]
    [InlineData("**/*.txt", "file.txt", true)]
    [InlineData("**/**/*.txt", "file.txt", true)]
    [InlineData("a**/*.txt", "a/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/dir/file.txt", true)]
    [InlineData("a/*.txt", "a/dir/file.txt", false)]
    [InlineData("a/*.txt", "a/file.txt", true)]
    [InlineData("a/*.txt**", "a/file.txt", true)]
    [InlineData("a[b-d]e", "ae", false)]
    [InlineData("a[b-d]e", "ace", true)]
    [InlineData("a[b-d]e", "aae", false)]
    [InlineData("a[^b-d]e", "aze", true)]
    [InlineData(".*", ".foo", true)]
    [InlineData(".*", "foo", false)]
    [InlineData("abc.def", "abcdef", false)]
    [InlineData("abc.def", "abc.def", true)]
    [InlineData("abc.def", "abcZdef", false)]
    [InlineData("abc?def", "abcZdef", true)]
    [InlineData("abc?def", "abcdef", false)]
    [InlineData(@"a\\", @"a\", true)]
    [InlineData("**/foo/bar", "foo/bar", true)]
    [InlineData("**/foo/bar", "dir/foo/bar", true)]
    [InlineData("**/foo/bar", "dir/dir2/foo/bar", true)]
    [InlineData("abc/**", "abc/def", true)]
    [InlineData("abc/**", "abc/def/ghi", true)]
    [InlineData("**/.foo", ".foo", true)]
    [InlineData("**/.foo", "bar.foo", false)]
    [InlineData("a(b)c/def", "a(b)c/def", true)]
    [InlineData("a(b)c/def", "a(b)c/xyz", false)]
    [InlineData("a.|)$(}+{bc", "a.|)$(}+{bc", true)]
    [InlineData("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [InlineData("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [InlineData(@"a\*b", "a*b", true)]
    public void Matches_moby_patternmatchers_own_table(string pattern, string path, bool ignored)
    {
        Assert.Equal(ignored, DockerIgnore.Parse(pattern).IsIgnored(path));
    }

    [Theory]
    [InlineData("**\n!util/docker/web", "util/docker/web/foo", false)]
    [InlineData("**\n!util/docker/web\nutil/docker/web/foo", "util/docker/web/foo", true)]
    [InlineData("**\n!dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false)]
    public void Matches_moby_patternmatchers_multi_pattern_table(string patterns, string path, bool ignored)
    {
        var ignore = DockerIgnore.Parse(patterns);
        Assert.Equal(ignored, ignore.IsIgnored(path));
        Assert.Equal(ignored, ignore.MatchesUsingParentResults(path, null).Ignored);
    }

    [Fact]
    public void The_single_parent_matcher_of_docker_20_10s_buildkit_misses_a_deeper_parent()
    {
        var ignore = DockerIgnore.Parse("**/x\n!q/r/x/keep\n");

        Assert.True(ignore.IsIgnored("q/r/x/other"));
        Assert.False(ignore.MatchesSingleParent("q/r/x/other")); // what BuildKit in docker 20.10 sends
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
    public void Blank_lines_comments_a_byte_order_mark_and_crlf_are_read_as_the_engine_reads_them()
    {
        var ignore = DockerIgnore.Parse("\uFEFF# build output\r\n\r\n  bin  \r\nlast");

        Assert.True(ignore.IsIgnored("bin/app"));
        Assert.True(ignore.IsIgnored("last"));
        Assert.False(ignore.IsIgnored("src/bin.c"));
        Assert.Equal(["bin", "last"], ignore.Patterns.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("!")] // illegal exclusion pattern
    [InlineData("!/")] // cleaned to "!"
    [InlineData("[")] // filepath.Match: malformed
    [InlineData("a[]b")]
    [InlineData("[a-]")]
    [InlineData("x\\")] // a trailing backslash
    [InlineData(@"\q")] // Go's regexp knows no \q
    [InlineData("[[:nope:]]")]
    public void A_pattern_the_engine_refuses_is_a_one_line_bad_input_error(string pattern)
    {
        var error = Assert.Throws<BadInputException>(() => DockerIgnore.Parse("ok\n" + pattern + "\n"));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}

/// <summary>
/// A leading <c>**</c> before a name: the docker CLI's matcher (moby's patternmatcher, the classic builder's context)
/// takes it as a plain suffix; docker 20.10's engine and BuildKit (regexes only) as a whole path component. Found by
/// the differential test (seed 362547683: BuildKit sent <c>.git/objects/1f/…5a</c> that <c>./**a</c> hid from the identity).
/// </summary>
public class LeadingDoubleStarTests
{
    [Theory]
    [InlineData("x/da", true, false)]
    [InlineData("x/a", true, true)]
    [InlineData("a", true, true)]
    [InlineData("x/a/b", true, false)]
    [InlineData("x/ab", false, false)]
    public void A_leading_double_star_is_a_suffix_for_the_cli_and_a_component_for_the_engine(string path, bool cli, bool engine)
    {
        var ignore = DockerIgnore.Parse("./**a\n");

        Assert.Equal(cli, ignore.IsIgnored(path));
        Assert.Equal(engine, ignore.MatchesSingleParent(path));
    }
}
