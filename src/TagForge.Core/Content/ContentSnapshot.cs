using System.Runtime.CompilerServices;
using LibGit2Sharp;
using TagForge.Errors;
using TagForge.Git;

namespace TagForge.Content;

/// <summary>
/// One repository as the content identity reads it: opened once and shared by every image of a release. Git is only
/// a shortcut here: the identity hashes the files the builder is sent, and a clean tracked file's bytes are known
/// from the index's stat cache (its blob id) without reading them, where no checkout filter (<c>.gitattributes</c>,
/// <c>core.autocrlf</c>) can make the working bytes differ from the blob. Thread-safe.
/// </summary>
public sealed class ContentSnapshot : IDisposable
{
    private readonly Lazy<GitIndex?> _index;
    private readonly Lazy<bool> _filtered;

    private ContentSnapshot(string workdir, string gitDirectory, bool filtersConfigured)
    {
        WorkingDirectory = workdir;
        _index = new Lazy<GitIndex?>(() => GitIndex.Read(gitDirectory));
        _filtered = new Lazy<bool>(() =>
            filtersConfigured || HasAttributesFiles(_index.Value) || File.Exists(Path.Combine(gitDirectory, "info", "attributes")));
    }

    /// <summary>The repository's working directory (symbolic links resolved).</summary>
    public string WorkingDirectory { get; }

    /// <summary>Opens the repository holding <paramref name="path"/>.</summary>
    /// <exception cref="BadInputException">No repository holds it.</exception>
    public static ContentSnapshot Open(string path) =>
        TryOpen(path) ?? throw new BadInputException($"the build context {Path.GetFullPath(path)} is not inside a git repository");

    /// <summary>Opens the repository holding <paramref name="path"/>, or null when there is none (the identity then reads every file).</summary>
    public static ContentSnapshot? TryOpen(string path)
    {
        string workdir;
        try
        {
            // Not Repository.Discover: it returns null under Native AOT.
            workdir = GitRepositoryLocator.FindWorkingDirectory(path);
        }
        catch (BadInputException)
        {
            return null;
        }

        // Most repositories set no filter: proven from the configuration files themselves, libgit2 is not loaded.
        if (GitDirectoryReader.Open(workdir) is { } directory && GitFilterSettings.MayFilter(directory.GitDirectory, directory.CommonDirectory) == false)
        {
            return new ContentSnapshot(ContextWalker.Resolve(workdir), directory.GitDirectory, filtersConfigured: false);
        }

        try
        {
            using var repository = new Repository(workdir);
            var autocrlf = repository.Config.Get<string>("core.autocrlf")?.Value;
            var filters = autocrlf is not null && !autocrlf.Equals("false", StringComparison.OrdinalIgnoreCase)
                || repository.Config.Get<string>("core.attributesFile") is not null;
            return new ContentSnapshot(ContextWalker.Resolve(workdir), repository.Info.Path, filters);
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="path"/> is inside this repository's working directory.</summary>
    public bool Holds(string path)
    {
        var relative = Path.GetRelativePath(WorkingDirectory, ContextWalker.Resolve(path));
        return relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal);
    }

    /// <summary>
    /// The repository-relative path of <paramref name="resolvedDirectory"/> (symbolic links resolved) with a trailing
    /// <c>/</c>, "" for the working directory itself, or null when it is outside it.
    /// </summary>
    internal string? RepositoryPrefix(string resolvedDirectory)
    {
        var relative = Path.GetRelativePath(WorkingDirectory, resolvedDirectory).Replace('\\', '/');
        return relative == "." ? "" : relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) ? null : relative + "/";
    }

    /// <summary>
    /// The blob id of the file at <paramref name="path"/> under <paramref name="prefix"/> (<see cref="RepositoryPrefix"/>)
    /// when git's stat cache proves that <paramref name="stat"/> describes its bytes (<see cref="GitIndex.CleanBlobId"/>); else null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal string? CleanBlob(string prefix, string path, in FileStat stat)
    {
        if (_filtered.Value || _index.Value is not { } index)
        {
            return null;
        }

        var length = prefix.Length + path.Length;
        var buffer = length <= 512 ? stackalloc char[length] : new char[length];
        prefix.CopyTo(buffer);
        path.CopyTo(buffer[prefix.Length..]);
        return index.CleanBlobId(buffer, stat);
    }

    /// <summary>True when git's index tracks <paramref name="fullPath"/> (a file, link or submodule).</summary>
    internal bool Tracks(string fullPath)
    {
        var relative = Path.GetRelativePath(WorkingDirectory, fullPath);
        return !relative.StartsWith("../", StringComparison.Ordinal) && _index.Value is { } index && index.Contains(relative);
    }

    /// <summary>True when the index holds a <c>.gitattributes</c> file (a filter may apply).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool HasAttributesFiles(GitIndex? index)
    {
        if (index is null)
        {
            return false;
        }

        foreach (ref readonly var entry in index.Entries)
        {
            if (entry.Path == ".gitattributes" || entry.Path.EndsWith("/.gitattributes", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
