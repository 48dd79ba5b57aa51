using TagForge.Cli.Live;
using TagForge.IO;

namespace TagForge.Cli.Tests.Live;

/// <summary>Which view of its work <c>release</c> shows, decided from a terminal flag and the environment (no terminal needed).</summary>
public sealed class StderrViewTests
{
    [Theory]
    [InlineData(false, true, "", "Table")]
    [InlineData(false, true, "TERM=xterm-256color", "Table")]
    [InlineData(false, true, "NO_COLOR=1", "Table")]
    [InlineData(false, true, "CI=false", "Table")]
    [InlineData(false, false, "", "Lines")]
    [InlineData(false, true, "TERM=dumb", "Lines")]
    [InlineData(false, true, "CI=true", "Lines")]
    [InlineData(false, true, "CI=1", "Lines")]
    [InlineData(false, true, "GITHUB_ACTIONS=true", "Lines")]
    [InlineData(false, true, "GITLAB_CI=true", "Lines")]
    [InlineData(false, true, "JENKINS_URL=http://jenkins/", "Lines")]
    [InlineData(true, true, "", "Quiet")]
    [InlineData(true, false, "CI=true", "Quiet")]
    public void A_person_at_a_terminal_gets_the_table_CI_pipes_and_dumb_terminals_get_lines_and_quiet_wins(bool quiet, bool terminal, string variables, string view)
    {
        Assert.Equal(view, StderrViews.Choose(quiet, terminal, Environment(variables)).ToString());
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("NO_COLOR=1", false)]
    [InlineData("NO_COLOR=", true)]
    public void The_table_is_coloured_unless_NO_COLOR_is_set(string variables, bool colour)
    {
        Assert.Equal(colour, StderrViews.Colour(Environment(variables)));
    }

    [Fact]
    public void A_writer_that_is_not_this_processs_stderr_is_no_terminal()
    {
        Assert.False(StderrViews.IsTerminal(new StringWriter()));
    }

    private static DictionaryEnvironment Environment(string variables) =>
        new(variables.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]));
}
