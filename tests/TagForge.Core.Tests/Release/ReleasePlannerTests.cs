using TagForge.IO;
using TagForge.Services;
using TagForge.Tagging;
using TagForge.Testing;

namespace TagForge.Release;

/// <summary>
/// What <c>release --dry-run</c> shows, against a real registry (docker-registry, read only: HEAD and the tag list) and
/// a real git repository. Nothing is built or pushed: manifests are uploaded over the registry API. Needs: docker-registry.
/// </summary>
public class ReleasePlannerTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 22, 18, 40, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<ReleasePlan> PlanAsync(ReleaseRequest request, TestRepository repository)
    {
        using var services = new TagForgeServices(DictionaryEnvironment.Empty, workingDirectory: repository.Path);
        return (await TagForge.Engine.ReleaseEngine.PreviewOneAsync(request, services, Token)).Step;
    }

    private static ReleaseRequest Request(string image, string template = "v.{sha:8}_{time:yyyyMMddHHmm}-{build}") => new()
    {
        Image = image,
        Tag = new TagRequest { Template = template, Time = Time, BuildNumber = "42" },
    };

    [Fact]
    public async Task Plans_the_tag_for_a_fixed_time_and_build_number_and_the_build_and_push_it_would_run()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var sha = await repository.HeadAsync();
        var image = $"{registry.Host}/team/plan";
        var tag = $"v.{sha[..8]}_202611221840-42";

        var plan = await PlanAsync(Request(image), repository);

        Assert.Equal(image, plan.Image);
        Assert.Equal(tag, plan.Tag.Tag);
        Assert.Equal(
            [
                ["docker", "build", "--iidfile", "<temp>/iid", "--file", "<temp>/Dockerfile", "--tag", $"{image}:{tag}", repository.Path],
                ["docker", "push", $"{image}:{tag}"],
            ],
            plan.Commands);
        Assert.Equal(
            $"LABEL \"org.opencontainers.image.revision\"=\"{sha}\" \"org.opencontainers.image.created\"=\"2026-11-22T18:40:00Z\" \"org.opencontainers.image.version\"=\"{tag}\" \"dev.tagforge.build\"=\"local/42\" \"dev.tagforge.content\"=\"{plan.ContentIdentity}\"",
            plan.LabelInstruction);
        Assert.Matches("^[0-9a-f]{64}$", plan.ContentIdentity);
        Assert.Equal(Path.Combine(repository.Path, "tagforge.json"), plan.RecordPath);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public async Task With_a_target_the_labels_are_label_arguments_and_the_Dockerfile_is_the_users()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var sha = await repository.HeadAsync();

        var plan = await PlanAsync(Request($"{registry.Host}/team/plan") with { Target = "final", NoRecord = true }, repository);

        var build = plan.Commands[0];
        Assert.Null(plan.LabelInstruction);
        Assert.Null(plan.RecordPath);
        Assert.Equal(["--iidfile", "<temp>/iid", "--file", Path.Combine(repository.Path, "Dockerfile")], build.Skip(2).Take(4));
        Assert.Equal(["--label", $"org.opencontainers.image.revision={sha}"], build.Skip(build.ToList().IndexOf("--label")).Take(2));
        Assert.Equal(5, build.Count(argument => argument == "--label"));
        Assert.Contains($"dev.tagforge.content={plan.ContentIdentity}", build);
        Assert.Equal(["--target", "final", repository.Path], build.TakeLast(3));
    }

    [Fact]
    public async Task The_tag_is_free_until_the_registry_holds_it_then_taken_with_the_digest_it_holds()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        var request = Request($"{registry.Host}/team/plan");

        var free = await PlanAsync(request, repository);
        var held = await RegistryUploads.PushAsync(registry, "team/plan", free.Tag.Tag, "taken");
        var taken = await PlanAsync(request, repository);

        Assert.Equal(PlannedTagState.Free, free.TagState);
        Assert.Contains("does not exist yet", free.RegistryDetail, StringComparison.Ordinal);
        Assert.Equal(PlannedTagState.Taken, taken.TagState);
        Assert.Contains($"exists with {held}", taken.RegistryDetail, StringComparison.Ordinal);
        Assert.Equal(free.Commands, taken.Commands);
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_leaves_the_tag_state_unknown()
    {
        using var repository = await SampleApp.CreateAsync();
        var host = $"127.0.0.1:{FreePort.Next()}";

        var plan = await PlanAsync(Request($"{host}/team/plan"), repository);

        Assert.Equal(PlannedTagState.Unknown, plan.TagState);
        Assert.StartsWith($"cannot ask {host}: ", plan.RegistryDetail, StringComparison.Ordinal);
        Assert.Equal(["docker", "push", $"{host}/team/plan:{plan.Tag.Tag}"], plan.Commands[^1]);
    }

    [Fact]
    public async Task A_missing_Dockerfile_is_a_problem_not_an_error()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();

        var plan = await PlanAsync(Request($"{registry.Host}/team/plan") with { Dockerfile = "docker/Missing.Dockerfile" }, repository);

        Assert.Equal($"the Dockerfile {Path.Combine(repository.Path, "docker", "Missing.Dockerfile")} does not exist", Assert.Single(plan.Problems));
        Assert.Equal("docker", plan.Commands[0][0]);
    }

    [Fact]
    public async Task Creating_a_repository_that_is_not_on_ECR_is_a_problem_as_the_release_would_refuse_it()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();

        var plan = await PlanAsync(Request($"{registry.Host}/team/plan") with { CreateRepository = true }, repository);

        Assert.StartsWith($"--create-repo works for Amazon ECR repositories; '{registry.Host}/team/plan' is not on ECR", Assert.Single(plan.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seq_is_numbered_from_the_registrys_tags()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        await RegistryUploads.PushAsync(registry, "team/seq", "v1", "one");
        await RegistryUploads.PushAsync(registry, "team/seq", "v2", "two");

        var plan = await PlanAsync(Request($"{registry.Host}/team/seq", "v{seq}"), repository);

        Assert.Equal("v3", plan.Tag.Tag);
        Assert.Equal(PlannedTagState.Free, plan.TagState);
    }

    [Fact]
    public async Task Takes_image_and_template_from_tagforge_yml_in_the_working_directory_unless_the_request_gives_them()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await SampleApp.CreateAsync();
        repository.WriteFile("tagforge.yml", $"image: {registry.Host}/team/from-file\ntemplate: file-{{sha:8}}\n");
        var sha = await repository.CommitAsync("config");

        var fromFile = await PlanAsync(new ReleaseRequest { Tag = new TagRequest { Time = Time } }, repository);
        var fromRequest = await PlanAsync(Request($"{registry.Host}/team/from-request", "req-{sha:8}"), repository);

        Assert.Equal(($"{registry.Host}/team/from-file", $"file-{sha[..8]}"), (fromFile.Image, fromFile.Tag.Tag));
        Assert.Equal(($"{registry.Host}/team/from-request", $"req-{sha[..8]}"), (fromRequest.Image, fromRequest.Tag.Tag));
    }
}
