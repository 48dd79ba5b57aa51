namespace TagForge.Testing;

/// <summary>Removes the local images a test left behind (a failed release keeps its image on purpose). Needs: the Docker engine.</summary>
public static class DockerCleanup
{
    /// <summary>Removes every local tag of <paramref name="repository"/> (<c>host:port/path</c>).</summary>
    public static async Task RemoveRepositoryAsync(string repository)
    {
        var listed = await Docker.RunAsync("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", repository);
        var names = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(name => !name.EndsWith(":<none>", StringComparison.Ordinal))
            .ToArray();
        if (names.Length > 0)
        {
            await Docker.RunAsync(["rmi", .. names]);
        }
    }
}
