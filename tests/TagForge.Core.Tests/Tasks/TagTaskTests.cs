using TagForge.Errors;
using TagForge.Tagging;
using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary>The Nuke-style <c>TagForgeTasks.Tag</c> against real git repositories.</summary>
public class TagTaskTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 22, 18, 40, 0, TimeSpan.Zero);

    // Tasks read CI variables only from what a test gives, never from the machine running the tests (CI=true there).
    private static readonly Dictionary<string, string> NoCi = [];

    private static readonly Dictionary<string, string> Jenkins = new()
    {
        ["JENKINS_URL"] = "https://jenkins.example/",
        ["BUILD_NUMBER"] = "7",
    };

    [Fact]
    public async Task Renders_the_template_set_through_a_configurator()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();

        var tag = TagForgeTasks.Tag(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(NoCi).SetTemplate("{sha:8}")).Tag;

        Assert.Equal(sha[..8], tag);
    }

    [Fact]
    public async Task Renders_the_article_format_with_the_ci_build_number_from_the_given_environment()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();
        var settings = new TagSettings()
            .SetWorkingDirectory(repository.Path)
            .SetTemplate("v.{sha:8}_{time:yyyyMMddHHmm}-{build}")
            .SetTime(Time)
            .SetEnvironment(Jenkins);

        var result = TagForgeTasks.Tag(settings);

        Assert.Equal($"v.{sha[..8]}_202611221840-7", result.Tag);
        Assert.Equal("jenkins", result.Provider);
        Assert.Equal(sha, result.Commit);
    }

    [Fact]
    public async Task Gives_the_same_tag_as_the_core_generator()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var fromTask = TagForgeTasks.Tag(s => s.SetWorkingDirectory(repository.Path).SetPreset("article").SetTime(Time).SetEnvironment(Jenkins));
        var fromCore = TagGenerator.Generate(new TagRequest
        {
            Preset = "article",
            RepositoryPath = repository.Path,
            Time = Time,
        }, new IO.DictionaryEnvironment(Jenkins));

        Assert.Equal(fromCore.Tag, fromTask.Tag);
    }

    [Fact]
    public void Setters_return_changed_copies_and_leave_the_original_alone()
    {
        var original = new TagSettings().SetTemplate("{sha}");

        var changed = original.SetTemplate("{sha:8}").SetDirty(DirtyMode.Fail);
        var reset = changed.ResetTemplate();

        Assert.Equal("{sha}", original.Request.Template);
        Assert.Equal("{sha:8}", changed.Request.Template);
        Assert.Equal(DirtyMode.Fail, changed.Request.Dirty);
        Assert.Null(reset.Request.Template);
        Assert.Equal(DirtyMode.Fail, reset.Request.Dirty);
    }

    [Fact]
    public void Shared_setters_keep_the_settings_type()
    {
        var logger = new ListLogger();

        TagSettings settings = new TagSettings().SetTemplate("{sha}").SetLogger(logger).SetWorkingDirectory("/somewhere");

        Assert.Same(logger, settings.Logger);
        Assert.Equal("{sha}", settings.Request.Template);
        Assert.Null(settings.ResetLogger().Logger);
    }

    [Fact]
    public async Task Logs_the_tag_through_the_injected_logger()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();
        var logger = new ListLogger();

        TagForgeTasks.Tag(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(NoCi).SetTemplate("{sha:8}").SetLogger(logger));

        Assert.Contains(logger.Messages, m => m.StartsWith("Information: tag ", StringComparison.Ordinal) && m.Contains(sha[..8], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throws_a_typed_exception_for_a_bad_template()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var error = Assert.Throws<BadInputException>(() => TagForgeTasks.Tag(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(NoCi).SetTemplate("{nope}")));

        Assert.Contains("{nope}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_dirty_tree_when_asked_to()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        repository.WriteFile("commits/../tracked.txt", "x");
        await repository.GitAsync("add", "tracked.txt");

        Assert.Throws<PolicyRefusalException>(() => TagForgeTasks.Tag(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(NoCi).SetDirty(DirtyMode.Fail)));
    }

    [Fact]
    public async Task The_async_twin_gives_the_same_result_and_honours_cancellation()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();

        var result = await TagForgeTasks.TagAsync(s => s.SetWorkingDirectory(repository.Path).SetEnvironment(NoCi).SetTemplate("{sha}"), TestContext.Current.CancellationToken);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Equal(sha, result.Tag);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TagForgeTasks.TagAsync(new TagSettings().SetWorkingDirectory(repository.Path), cancelled.Token));
    }
}
