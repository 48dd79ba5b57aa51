using System.Security.Cryptography;
using System.Text;
using TagForge.Errors;

namespace TagForge.Content;

/// <summary>
/// The <c>{content}</c> hash of an image: SHA-256 over exactly what goes into it, so the same inputs give the same
/// hash on every machine and in every checkout (git's blob ids, never mtimes or absolute paths):
/// <list type="bullet">
/// <item>every file of HEAD's tree under the context that <c>.dockerignore</c> keeps: its path relative to the
/// context, its git mode and its blob id (a submodule: its commit);</item>
/// <item>uncommitted changes: a tracked file that differs from HEAD (staged or not), and an untracked file git
/// does not ignore, are hashed from the working file's content, and a deleted one is left out, so a dirty context
/// never reuses a clean hash (files git ignores are not hashed: ignore them in <c>.dockerignore</c> too);</item>
/// <item>the Dockerfile's content (wherever it is), the build arguments in order, the target, the platform, and
/// the digests of the base images built in the same release.</item>
/// </list>
/// </summary>
public static class ContentHasher
{
    /// <summary>Bumped whenever what is hashed changes, so old and new hashes never collide.</summary>
    private const string Version = "tagforge-content-v1";

    /// <summary>The hash of <paramref name="input"/>: 64 lowercase hex digits.</summary>
    /// <exception cref="BadInputException">The context is not inside a git repository, or has no commit.</exception>
    public static string Compute(ContentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var snapshot = ContentSnapshot.Open(input.ContextPath);
        return Compute(input, snapshot);
    }

    /// <summary>The hash of <paramref name="input"/>, reading git through <paramref name="snapshot"/> (one repository and one status for many images).</summary>
    /// <exception cref="BadInputException">The context is not inside the snapshot's repository, or it has no commit.</exception>
    public static string Compute(ContentInput input, ContentSnapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (snapshot is null || !snapshot.Holds(input.ContextPath))
        {
            return Compute(input);
        }

        var context = Path.GetFullPath(input.ContextPath);
        var ignore = DockerIgnore.ForContext(context);
        var files = snapshot.Files(context, ignore);
        var text = new StringBuilder(Version).Append('\n');
        foreach (var (path, id) in files)
        {
            text.Append("file ").Append(path).Append('\t').Append(id).Append('\n');
        }

        var dockerfile = input.Dockerfile ?? Path.Combine(context, "Dockerfile");
        text.Append("dockerfile ").Append(File.Exists(dockerfile) ? HashFile(dockerfile) : "missing").Append('\n');
        foreach (var arg in input.BuildArgs)
        {
            text.Append("build-arg ").Append(arg.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }

        text.Append("target ").Append(input.Target).Append('\n');
        text.Append("platform ").Append(input.Platform).Append('\n');
        foreach (var (name, digest) in input.BaseDigests.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append("base ").Append(name).Append('=').Append(digest).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    internal static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
