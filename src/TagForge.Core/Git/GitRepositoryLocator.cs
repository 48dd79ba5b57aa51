using TagForge.Errors;

namespace TagForge.Git;

/// <summary>
/// Finds the repository that holds a directory by walking up to the first <c>.git</c> (a directory, or a file
/// in worktrees and submodules). Done by hand because LibGit2Sharp's <c>Repository.Discover</c> returns null
/// under Native AOT.
/// </summary>
public static class GitRepositoryLocator
{
    /// <summary>The working directory of the repository containing <paramref name="startDirectory"/>.</summary>
    /// <exception cref="BadInputException">No repository contains it.</exception>
    public static string FindWorkingDirectory(string startDirectory)
    {
        var start = Path.GetFullPath(startDirectory);
        if (!Directory.Exists(start))
        {
            throw new BadInputException($"repository path does not exist: {startDirectory}");
        }

        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var dotGit = Path.Combine(directory.FullName, ".git");
            if (Directory.Exists(dotGit) || File.Exists(dotGit))
            {
                return directory.FullName;
            }
        }

        throw new BadInputException($"not a git repository (or any parent up to /): {start}; run inside a clone or pass --repo PATH");
    }
}
