using TagForge.Errors;

namespace TagForge.Pinning;

/// <summary>Expands the files and directories given on a command line into deployment files.</summary>
public static class DeploymentPaths
{
    /// <summary>Extensions read when walking a directory (files named directly are read whatever their name).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".yaml", ".yml", ".json"];

    /// <summary>
    /// Files to read, in order: named files as given, directories walked recursively (hidden folders such as
    /// <c>.git</c> skipped, files sorted), <c>-</c> kept as is, duplicates dropped. Paths that do not exist come back in <paramref name="missing"/>.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, out IReadOnlyList<BadInputException> missing)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        var problems = new List<BadInputException>();
        foreach (var path in paths)
        {
            if (path == "-" || File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                try
                {
                    files.AddRange(Walk(path));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems.Add(new BadInputException($"{path}: cannot list the directory ({ex.Message})", ex));
                }
            }
            else
            {
                problems.Add(new BadInputException($"{path}: no such file or directory"));
            }
        }

        missing = problems;

        // A file named twice (k8s/ and k8s/app.yaml) is read and written once.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. files.Where(file => file == "-" || seen.Add(Path.GetFullPath(file)))];
    }

    private static IEnumerable<string> Walk(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden };
        var found = Directory.EnumerateFiles(directory, "*", options)
            .Where(file => Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) && !Path.GetFileName(file).StartsWith('.'))
            .Order(StringComparer.Ordinal);
        var nested = Directory.EnumerateDirectories(directory, "*", options)
            .Where(sub => !Path.GetFileName(sub).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .SelectMany(Walk);
        return [.. found, .. nested];
    }
}
