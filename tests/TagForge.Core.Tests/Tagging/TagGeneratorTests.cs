using TagForge.Errors;
using TagForge.IO;
using TagForge.Testing;

namespace TagForge.Tagging;

public class TagGeneratorTests
{
    private static readonly DateTimeOffset BuildTime = new(2026, 11, 22, 18, 40, 0, TimeSpan.Zero);

    private static TagResult Generate(TestRepository repository, string? template = null, string? preset = null, DirtyMode? dirty = null, params (string, string)[] variables) =>
        TagGenerator.Generate(new TagRequest
        {
            Template = template,
            Preset = preset,
            RepositoryPath = repository.Path,
            Time = BuildTime,
            Dirty = dirty,
        }, new DictionaryEnvironment(variables.ToDictionary(v => v.Item1, v => v.Item2)));

    [Fact]
    public async Task Renders_the_article_preset_in_jenkins()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();

        var result = Generate(repository, preset: "article", variables: [("JENKINS_URL", "https://ci/"), ("BUILD_NUMBER", "7")]);

        Assert.Equal($"v.{sha[..8]}_202611221840-7", result.Tag);
        Assert.Equal("jenkins", result.Provider);
    }

    [Fact]
    public async Task Renders_build_as_local_on_a_laptop()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();

        var result = Generate(repository);

        Assert.Equal($"20261122184000-{sha[..8]}-local", result.Tag);
        Assert.Equal("local", result.BuildNumber);
    }

    [Fact]
    public async Task Sanitises_the_branch_name()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();
        await repository.CreateBranchAsync("feature/JIRA-1_fix");

        var result = Generate(repository, "{branch}-{sha:7}");

        Assert.StartsWith("feature-JIRA-1_fix-", result.Tag, StringComparison.Ordinal);
        Assert.Equal("feature/JIRA-1_fix", result.Branch);
    }

    [Fact]
    public async Task Takes_the_branch_from_ci_when_head_is_detached()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();
        await repository.CheckoutAsync(sha);

        var local = Generate(repository, "{branch}");
        var jenkins = Generate(repository, "{branch}", variables: [("JENKINS_URL", "https://ci/"), ("GIT_BRANCH", "origin/release/3")]);

        Assert.Equal("detached", local.Tag);
        Assert.Equal("release-3", jenkins.Tag);
    }

    [Fact]
    public async Task Tags_the_pull_request_head_not_the_merge_commit_on_github()
    {
        using var repository = await TestRepository.InitAsync();
        var baseCommit = await repository.CommitAsync("base");
        await repository.CreateBranchAsync("feature/pr");
        var prHead = await repository.CommitAsync("pr work", new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        await repository.CheckoutAsync("main");
        await repository.CommitAsync("main moves on");
        await repository.GitAsync("merge", "--no-ff", "--quiet", "-m", "synthetic merge", "feature/pr");
        var merge = await repository.HeadAsync();
        await repository.CheckoutAsync(merge);
        var eventPath = repository.WriteFile("../event.json", "{\"pull_request\":{\"number\":9,\"head\":{\"sha\":\"" + prHead + "\",\"ref\":\"feature/pr\"}}}");

        var result = Generate(repository, "{sha}-{branch}-{commit-time:yyyyMMdd}", variables:
        [
            ("GITHUB_ACTIONS", "true"), ("GITHUB_EVENT_NAME", "pull_request"), ("GITHUB_EVENT_PATH", eventPath),
            ("GITHUB_SHA", merge), ("GITHUB_RUN_NUMBER", "3"),
        ]);

        Assert.NotEqual(baseCommit, prHead);
        Assert.Equal($"{prHead}-feature-pr-20260304", result.Tag);
        Assert.Equal("9", result.PullRequest);
    }

    [Fact]
    public async Task Appends_dirty_when_tracked_files_changed()
    {
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("tracked.txt", "original\n");
        var sha = await repository.CommitAsync();
        repository.WriteFile("tracked.txt", "edited\n");

        Assert.Equal($"{sha[..8]}-dirty", Generate(repository, "{sha:8}").Tag);
        Assert.True(Generate(repository, "{sha:8}").Dirty);
        Assert.Equal(sha[..8], Generate(repository, "{sha:8}", dirty: DirtyMode.Ignore).Tag);
        var refusal = Assert.Throws<PolicyRefusalException>(() => Generate(repository, "{sha:8}", dirty: DirtyMode.Fail));
        Assert.Equal(ExitCode.PolicyRefusal, refusal.ExitCode);
    }

    [Fact]
    public async Task Ignores_untracked_files_like_git_describe()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();
        repository.WriteFile("new-untracked.txt", "x");

        Assert.Equal(sha[..8], Generate(repository, "{sha:8}").Tag);
    }

    [Fact]
    public async Task Uses_source_date_epoch_when_no_time_is_given()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var result = TagGenerator.Generate(new TagRequest
        {
            Template = "{time:yyyyMMddHHmmss}",
            RepositoryPath = repository.Path,
        }, new DictionaryEnvironment(new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1700000000" }));

        Assert.Equal("20231114221320", result.Tag);
    }

    [Fact]
    public async Task Rejects_a_malformed_source_date_epoch()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var exception = Assert.Throws<BadInputException>(() => TagGenerator.Generate(new TagRequest
        {
            RepositoryPath = repository.Path,
        }, new DictionaryEnvironment(new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "yesterday" })));

        Assert.Contains("SOURCE_DATE_EPOCH", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shortens_the_branch_but_never_the_sha_when_over_128_characters()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();
        await repository.CreateBranchAsync("feature/" + new string('x', 200));

        var result = Generate(repository, "{branch}-{sha}");

        Assert.Equal(128, result.Tag.Length);
        Assert.EndsWith("-" + sha, result.Tag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_when_literal_text_alone_is_over_the_limit()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var exception = Assert.Throws<BadInputException>(() => Generate(repository, new string('a', 100) + "-{sha}"));

        Assert.Contains("over the limit of 128", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_and_sanitises_environment_variables_and_names_unset_ones()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        Assert.Equal("team-a-x", Generate(repository, "{env:TEAM}", variables: [("TEAM", "team a/x")]).Tag);
        var exception = Assert.Throws<BadInputException>(() => Generate(repository, "{env:MISSING}"));
        Assert.Contains("MISSING is not set", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_outside_a_repository_and_in_an_empty_one()
    {
        using var directory = new TempDirectory();
        using var empty = await TestRepository.InitAsync();

        Assert.Contains("not a git repository", Assert.Throws<BadInputException>(() => TagGenerator.Generate(new TagRequest { RepositoryPath = directory.Path })).Message, StringComparison.Ordinal);
        Assert.Contains("no commits yet", Assert.Throws<BadInputException>(() => Generate(empty)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finds_the_repository_from_a_subdirectory()
    {
        using var repository = await TestRepository.InitAsync();
        var sha = await repository.CommitAsync();
        repository.WriteFile("src/deep/x.txt", "x");

        var result = TagGenerator.Generate(new TagRequest { Template = "{sha}", RepositoryPath = Path.Combine(repository.Path, "src", "deep"), Dirty = DirtyMode.Ignore });

        Assert.Equal(sha, result.Tag);
    }

    [Fact]
    public async Task Requires_a_build_number_in_ci_systems_that_did_not_give_one()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        var exception = Assert.Throws<BadInputException>(() => Generate(repository, "{build}", variables: [("TEAMCITY_VERSION", "2025")]));

        Assert.Contains("--build-number", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_seq_without_a_registry()
    {
        using var repository = await TestRepository.InitAsync();
        await repository.CommitAsync();

        Assert.Throws<BadInputException>(() => Generate(repository, "v{seq}"));
    }
}
