namespace TagForge.Testing;

/// <summary>
/// Builds and pushes small <c>FROM scratch</c> images with the real docker CLI, logging in through a throwaway
/// <c>--config</c> directory so the machine's own docker config is never touched. Needs: the Docker engine.
/// </summary>
public static class ScratchImages
{
    /// <summary>Builds a unique scratch image as <c>host/repository:tag</c>, pushes it, removes it locally and returns its digest.</summary>
    public static async Task<string> PushAsync(string host, string repository, string tag, string? user = null, string? password = null)
    {
        using var directory = new TempDirectory("push");
        var context = Docker.WriteScratchContext(directory);
        var config = directory.Combine("docker-config");
        Directory.CreateDirectory(config);
        var image = $"{host}/{repository}:{tag}";
        await Docker.RunCheckedAsync("build", "--quiet", "--no-cache", "--tag", image, context);
        try
        {
            if (user is not null)
            {
                await ProcessRunner.RunCheckedAsync(Requirements.DockerCli, ["--config", config, "login", "--username", user, "--password-stdin", host], standardInput: password);
            }

            await ProcessRunner.RunCheckedAsync(Requirements.DockerCli, ["--config", config, "push", "--quiet", image]);
            var digests = (await Docker.RunCheckedAsync("image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", image)).StandardOutput;
            var line = digests.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .First(d => d.StartsWith($"{host}/{repository}@", StringComparison.Ordinal));
            return line[(line.IndexOf('@', StringComparison.Ordinal) + 1)..];
        }
        finally
        {
            await Docker.RunAsync("rmi", "--force", image);
        }
    }
}
