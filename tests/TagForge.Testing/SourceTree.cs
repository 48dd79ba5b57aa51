namespace TagForge.Testing;

/// <summary>Files of TagForge's own source tree (action.yml, docs/, scripts/), found from the test's output folder.</summary>
public static class SourceTree
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TagForge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no TagForge.sln above {AppContext.BaseDirectory}");
    }
}
