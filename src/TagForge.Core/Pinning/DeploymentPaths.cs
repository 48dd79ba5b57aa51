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
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, out IReadOnlyList<BadInputException> missing) =>
        Expand(paths, Directory.GetCurrentDirectory(), out missing);

    /// <summary>
    /// <see cref="Expand(IEnumerable{string}, out IReadOnlyList{BadInputException})"/> with relative paths taken
    /// against <paramref name="workingDirectory"/>; the names come back as given (<c>k8s/app.yaml</c>, not absolute),
    /// for messages, and <see cref="Path.GetFullPath(string, string)"/> against the same directory finds each file.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, string workingDirectory, out IReadOnlyList<BadInputException> missing)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(workingDirectory);
        var files = new List<string>();
        var problems = new List<BadInputException>();
        foreach (var path in paths)
        {
            var fullPath = path == "-" ? path : Path.GetFullPath(path, workingDirectory);
            if (path == "-" || File.Exists(fullPath))
            {
                files.Add(path);
            }
            else if (Directory.Exists(fullPath))
            {
                try
                {
                    files.AddRange(Walk(path, fullPath));
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
        return [.. files.Where(file => file == "-" || seen.Add(Path.GetFullPath(file, workingDirectory)))];
    }

    /// <summary>The files under <paramref name="directory"/> (found at <paramref name="fullPath"/>), named below <paramref name="directory"/>.</summary>
    private static IEnumerable<string> Walk(string directory, string fullPath)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden };
        var found = Directory.EnumerateFiles(fullPath, "*", options)
            .Select(Path.GetFileName)
            .Where(name => Extensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase) && !name!.StartsWith('.'))
            .Select(name => Path.Join(directory, name))
            .Order(StringComparer.Ordinal);
        var nested = Directory.EnumerateDirectories(fullPath, "*", options)
            .Select(Path.GetFileName)
            .Where(name => !name!.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .SelectMany(name => Walk(Path.Join(directory, name), Path.Join(fullPath, name)));
        return [.. found, .. nested];
    }
}
