using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary>The C# doors of images:: Plan, ReleaseImages, Release with a plan and MergeRecords, on real git repositories.</summary>
public class MonorepoTasksTests
{
    private static async Task<TestRepository> RepositoryAsync(string images)
    {
        var repository = await TestRepository.InitAsync();
        repository.WriteFile("a/Dockerfile", "FROM scratch\n");
        repository.WriteFile("b/Dockerfile", "FROM scratch\n");
        repository.WriteFile("tagforge.yml", $"image: registry.example.com/team\ntemplate: \"{{sha:8}}-{{build}}\"\nimages:\n{images}");
        await repository.CommitAsync("images");
        return repository;
    }

    [Fact]
    public async Task Plan_fixes_every_tag_and_lists_one_job_per_image_and_platform()
    {
        using var repository = await RepositoryAsync("  - name: a\n    context: a\n    platforms: [linux/amd64, linux/arm64]\n  - name: b\n    context: b\n    depends-on: [a]\n");

        var result = TagForgeTasks.Plan(s => s with { WorkingDirectory = repository.Path, Request = s.Request with { Output = "plan.json" } });

        var sha = (await repository.HeadAsync())[..8];
        Assert.Equal(await repository.HeadAsync(), result.Plan.Commit);
        Assert.All(result.Plan.Images, image => Assert.Equal($"{sha}-local", image.Tag));
        Assert.Equal(["registry.example.com/team/a", "registry.example.com/team/b"], result.Plan.Images.Select(i => i.Repository));
        Assert.Equal(["a linux/amd64 0", "a linux/arm64 0", "b  1"], result.Plan.Matrix.Select(j => $"{j.Image} {j.Platform} {j.Stage}"));
        Assert.True(File.Exists(Path.Combine(repository.Path, "plan.json")));
    }

    [Fact]
    public async Task ReleaseImages_refuses_a_cycle_and_a_plan_job_refuses_another_commit()
    {
        using var cyclic = await RepositoryAsync("  - name: a\n    depends-on: [b]\n  - name: b\n    depends-on: [a]\n");
        Assert.Throws<BadInputException>(() => TagForgeTasks.ReleaseImages(s => s with { WorkingDirectory = cyclic.Path }));

        using var repository = await RepositoryAsync("  - name: a\n    context: a\n");
        TagForgeTasks.Plan(s => s with { WorkingDirectory = repository.Path, Request = s.Request with { Output = "plan.json" } });
        await repository.CommitAsync("later");

        var error = Assert.Throws<BadInputException>(() => TagForgeTasks.ReleasePlanJob(new PlanReleaseSettings
        {
            WorkingDirectory = repository.Path,
            Request = new Engine.PlanReleaseRequest { PlanPath = "plan.json", Image = "a" },
        }));
        Assert.Contains("was made for commit", error.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => TagForgeTasks.MergeRecords(s => s with { WorkingDirectory = repository.Path }));
    }
}
