namespace TagForge.Testing;

/// <summary>A git repository holding a small <c>FROM scratch</c> app with unique content, committed.</summary>
public static class SampleApp
{
    public static async Task<TestRepository> CreateAsync(string? dockerfile = null)
    {
        var repository = await TestRepository.InitAsync();
        repository.WriteFile("Dockerfile", dockerfile ?? "FROM scratch\nCOPY hello.txt /hello.txt\n");
        repository.WriteFile("hello.txt", $"hello {Guid.NewGuid()}\n");
        repository.WriteFile(".gitignore", "tagforge.json\n.tagforge.json.lock\n*.env\n");
        await repository.CommitAsync("sample app");
        return repository;
    }
}
