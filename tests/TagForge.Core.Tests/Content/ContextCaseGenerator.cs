using System.Runtime.Versioning;
using System.Text;
using TagForge.Testing;

namespace TagForge.Content;

/// <summary>
/// Writes random build contexts for the differential test, from one seed: a git repository with committed,
/// modified, untracked and git-ignored files (build output in <c>dist/</c>), modes, links inside, outside and
/// dangling, a nested repository, unicode, space and glob-character names, empty directories; and a random
/// <c>.dockerignore</c> in moby's syntax (<c>**</c>, <c>!</c>, escapes, classes, leading <c>/</c> and <c>./</c>,
/// <c>..</c>, comments, CRLF, trailing spaces), built from the names that exist so that patterns do match.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ContextCaseGenerator(Random random)
{
    private static readonly string[] Names =
    [
        "a", "b", "ab", "app", "src", "lib", "dist", "build", "main.c", "x.txt", "y.log", "README.md", "node_modules",
        "sp ace", "ü", "日本", "[x]", "*star", "q?", "back\\slash", "!bang", "#hash", ".hidden", "a.b.c", "D1", "9",
    ];

    private static readonly int[] Modes = [0b110_100_100, 0b111_101_101, 0b110_000_000, 0b110_100_000, 0b100_100_100];

    /// <summary>The Dockerfile every case builds: every file of the context into <c>/ctx/</c>.</summary>
    public const string Dockerfile = "FROM scratch\nCOPY . /ctx/\n";

    /// <summary>
    /// Writes one case under <paramref name="root"/>: returns the Dockerfile path. With <paramref name="alike"/>, the
    /// <c>.dockerignore</c> holds only patterns <see cref="BuilderAgreement"/> accepts (and no per-Dockerfile one), so
    /// one walk stands for both builders.
    /// </summary>
    public async Task<string> WriteAsync(string root, bool alike = false)
    {
        var paths = new List<string>();
        WriteTree(root, "", 0, paths);
        var dockerfileDirectory = random.Next(4) == 0 ? "df" : "";
        var dockerfile = Path.Combine(root, dockerfileDirectory, "Dockerfile");
        Directory.CreateDirectory(Path.GetDirectoryName(dockerfile)!);
        await File.WriteAllTextAsync(dockerfile, Dockerfile);
        paths.Add(Path.GetRelativePath(root, dockerfile).Replace('\\', '/'));
        await File.WriteAllTextAsync(Path.Combine(root, ".gitignore"), "dist/\n*.log\n");

        await GitAsync(root, "init", "-q");
        var committed = paths.Where(_ => random.Next(3) > 0).ToList();
        foreach (var batch in committed.Chunk(50))
        {
            await GitAsync(root, ["add", "-f", "--", .. batch.Select(p => ":(literal)" + p)]);
        }

        await GitAsync(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "case");
        if (random.Next(3) == 0)
        {
            var nested = Path.Combine(root, "nested");
            Directory.CreateDirectory(nested);
            await File.WriteAllTextAsync(Path.Combine(nested, "inner.txt"), Content());
            await GitAsync(nested, "init", "-q");
            await GitAsync(nested, "add", "inner.txt");
            await GitAsync(nested, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "nested");
        }

        // Uncommitted edits and new files after the commit: git's cache must not hide them.
        foreach (var path in committed.Where(p => !p.EndsWith("Dockerfile", StringComparison.Ordinal) && new FileInfo(Path.Combine(root, p)) is { Exists: true, LinkTarget: null } && random.Next(4) == 0))
        {
            await File.AppendAllTextAsync(Path.Combine(root, path), "edited\n");
        }

        Directory.CreateDirectory(Path.Combine(root, "dist"));
        await File.WriteAllTextAsync(Path.Combine(root, "dist", "app.bin"), Content());
        var relativeDockerfile = Path.GetRelativePath(root, dockerfile).Replace('\\', '/');
        WriteIgnore(Path.Combine(root, ".dockerignore"), paths, alike ? relativeDockerfile : null);
        if (!alike && dockerfileDirectory.Length > 0 && random.Next(2) == 0)
        {
            WriteIgnore(dockerfile + ".dockerignore", paths);
        }

        return dockerfile;
    }

    /// <summary>Changes the context a little (a file's bytes or mode, a new file, a link target), or nothing.</summary>
    public string Mutate(string root)
    {
        var files = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/.git", StringComparison.Ordinal) && !Path.GetFileName(p).StartsWith(".docker", StringComparison.Ordinal))
            .Where(p => !p.EndsWith("Dockerfile", StringComparison.Ordinal) && !new FileInfo(p).Attributes.HasFlag(FileAttributes.ReparsePoint) && File.Exists(p))
            .ToList();
        switch (random.Next(4))
        {
            case 0 when files.Count > 0:
                var edited = files[random.Next(files.Count)];
                File.AppendAllText(edited, "mutated\n");
                return "edited " + Path.GetRelativePath(root, edited);
            case 1 when files.Count > 0:
                var chmod = files[random.Next(files.Count)];
                File.SetUnixFileMode(chmod, File.GetUnixFileMode(chmod) ^ UnixFileMode.UserExecute);
                return "chmod " + Path.GetRelativePath(root, chmod);
            case 2:
                File.WriteAllText(Path.Combine(root, "dist", "new-output.bin"), Content());
                return "new dist/new-output.bin";
            default:
                return "nothing";
        }
    }

    private void WriteTree(string root, string relative, int depth, List<string> paths)
    {
        var count = random.Next(depth == 0 ? 4 : 1, depth == 0 ? 9 : 5);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = Names[random.Next(Names.Length)];
            if (!used.Add(name) || (depth == 0 && name is "Dockerfile" or "df" or "nested" or "dist"))
            {
                continue;
            }

            var path = relative.Length == 0 ? name : relative + "/" + name;
            var full = Path.Combine(root, path);
            var kind = random.Next(10);
            if (kind < 5)
            {
                File.WriteAllText(full, Content());
                File.SetUnixFileMode(full, (UnixFileMode)Modes[random.Next(Modes.Length)]);
                paths.Add(path);
            }
            else if (kind < 8 && depth < 2)
            {
                Directory.CreateDirectory(full);
                if (random.Next(5) > 0)
                {
                    WriteTree(root, path, depth + 1, paths);
                }
            }
            else
            {
                string[] targets = ["a", "../outside", "/nonexistent/file", "sub/dir", Names[random.Next(Names.Length)]];
                File.CreateSymbolicLink(full, targets[random.Next(targets.Length)]);
                paths.Add(path);
            }
        }
    }

    /// <summary>Writes random patterns; with <paramref name="alikeFor"/> (the Dockerfile's path), two to six that both builders provably apply alike.</summary>
    private void WriteIgnore(string path, List<string> paths, string? alikeFor = null)
    {
        var text = new StringBuilder();
        var newline = random.Next(3) == 0 ? "\r\n" : "\n";
        var lines = alikeFor is null ? random.Next(0, 7) : random.Next(2, 7);
        for (var i = 0; i < lines; i++)
        {
            var pattern = Pattern(paths);
            while (alikeFor is not null && !Alike(pattern, alikeFor))
            {
                pattern = Pattern(paths);
            }

            text.Append(pattern).Append(newline);
        }

        if (alikeFor is null && random.Next(4) == 0)
        {
            text.Append(random.Next(2) == 0 ? ".dockerignore" : "**/Dockerfile").Append(newline);
        }

        File.WriteAllText(path, text.ToString());
    }

    private static bool Alike(string pattern, string relativeDockerfile)
    {
        try
        {
            var ignore = DockerIgnore.Parse(pattern);
            return ignore.Patterns.Count > 0 && BuilderAgreement.PatternsSelectAlike(ignore, relativeDockerfile);
        }
        catch (Errors.BadInputException)
        {
            return false;
        }
    }

    private string Pattern(List<string> paths)
    {
        var choice = random.Next(16);
        if (choice == 0)
        {
            return "# comment " + Names[random.Next(Names.Length)];
        }

        if (choice == 1)
        {
            return random.Next(2) == 0 ? "" : "   ";
        }

        var target = paths.Count > 0 && random.Next(3) > 0 ? paths[random.Next(paths.Count)] : Names[random.Next(Names.Length)];
        var parts = target.Split('/');
        if (random.Next(3) == 0 && parts.Length > 1)
        {
            parts = parts[..random.Next(1, parts.Length)]; // a parent directory
        }

        var pattern = string.Join('/', parts.Select(Glob));
        pattern = random.Next(8) switch
        {
            0 => "**/" + parts[^1],
            1 => pattern + "/**",
            2 => "/" + pattern,
            3 => "./" + pattern,
            4 => "x/../" + pattern,
            5 => pattern + "/",
            _ => pattern,
        };
        if (random.Next(4) == 0)
        {
            pattern = "!" + pattern;
        }

        return random.Next(6) == 0 ? "  " + pattern + " \t" : pattern;
    }

    /// <summary>A name as a pattern: itself (escaping what the matcher would read), or with a glob in it.</summary>
    private string Glob(string name)
    {
        var escaped = new StringBuilder();
        foreach (var c in name)
        {
            escaped.Append(c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString());
        }

        var plain = escaped.ToString();
        if (name.Any(c => c is '*' or '?' or '[' or ']' or '\\'))
        {
            return plain;
        }

        return random.Next(9) switch
        {
            0 => name[..Math.Min(1, name.Length)] + "*",
            1 => "?" + name[Math.Min(1, name.Length)..],
            2 => "[" + name[0] + "]" + name[1..],
            3 => "[!" + name[0] + "]" + name[1..],
            4 => "[^" + name[0] + "]" + name[1..],
            5 => "*" + name[^1..],
            6 => name.Replace(".", "\\.", StringComparison.Ordinal),
            7 => "**" + name,
            _ => name,
        };
    }

    private string Content() => $"content {random.Next()}\n";

    private static Task<ProcessResult> GitAsync(string directory, params string[] arguments) =>
        ProcessRunner.RunCheckedAsync("git", arguments, directory);
}
