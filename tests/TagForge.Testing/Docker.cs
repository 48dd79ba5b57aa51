namespace TagForge.Testing;

/// <summary>
/// Helpers for tests that need the real Docker engine (scripts/test.sh starts dockerd). Images are built
/// <c>FROM scratch</c>: there is no Docker Hub here.
/// </summary>
public static class Docker
{
    /// <summary>Writes a build context with a <c>FROM scratch</c> Dockerfile that copies one unique file.</summary>
    public static string WriteScratchContext(TempDirectory directory, string? content = null, string dockerfileName = "Dockerfile")
    {
        directory.Write("app/hello.txt", content ?? $"hello {Guid.NewGuid()}\n");
        directory.Write($"app/{dockerfileName}", "FROM scratch\nCOPY hello.txt /hello.txt\n");
        return directory.Combine("app");
    }

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Requirements.DockerCli, arguments);

    public static Task<ProcessResult> RunCheckedAsync(params string[] arguments) =>
        ProcessRunner.RunCheckedAsync(Requirements.DockerCli, arguments);
}
