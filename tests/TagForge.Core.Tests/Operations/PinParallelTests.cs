using System.Text;
using TagForge.Testing;

namespace TagForge.Operations;

/// <summary>
/// A pin works on many files at once: whatever order they finish in, what it reports and writes must be exactly what
/// one file after the other gives. Each case is a generated tree of hundreds of files of every kind pin meets.
/// </summary>
public sealed class PinParallelTests
{
    private const string Other = "quay.io/acme/other";

    [Theory]
    [InlineData(1, "write")]
    [InlineData(2, "write")]
    [InlineData(3, "dry-run")]
    [InlineData(4, "check")]
    public async Task Many_files_of_every_kind_give_what_a_sequential_run_gives(int seed, string mode)
    {
        using var sequential = Tree(seed);
        using var parallel = Tree(seed);
        using var wide = Tree(seed);

        var expected = await Run(sequential, mode, maxWorkers: 1);
        var actual = await Run(parallel, mode, maxWorkers: null);
        var widest = await Run(wide, mode, maxWorkers: 64);

        Assert.Equal(expected, actual);
        Assert.Equal(expected, widest);
        Assert.Equal(Snapshot(sequential), Snapshot(parallel));
        Assert.Equal(Snapshot(sequential), Snapshot(wide));
    }

    [Fact]
    public async Task The_generated_trees_hold_every_kind_of_outcome()
    {
        using var directory = Tree(1);
        var report = await Run(directory, "write", maxWorkers: null);

        Assert.Contains("exit BadInput", report, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", report, StringComparison.Ordinal);
        Assert.Contains("cannot read it", report, StringComparison.Ordinal);
        Assert.Contains("read-only", report, StringComparison.Ordinal);
        Assert.Contains("not pinned", report, StringComparison.Ordinal);
        Assert.Contains("not UTF-8", report, StringComparison.Ordinal);
        Assert.Contains("not a deployment file", report, StringComparison.Ordinal);
        Assert.Contains("note pinned 2 images in", report, StringComparison.Ordinal);
        Assert.Contains("warning ", report, StringComparison.Ordinal);
    }

    /// <summary>Everything a caller of the operation can observe, as text: what the CLI prints is made from it.</summary>
    private static async Task<string> Run(TempDirectory directory, string mode, int? maxWorkers)
    {
        using var services = Samples.In(directory);
        var request = new PinRequest
        {
            Paths = ["deploy", "missing.yaml", "deploy/a/file-000.yaml"],
            DryRun = mode == "dry-run",
            Check = mode == "check",
            MaxWorkers = maxWorkers,
        };
        var result = await PinOperation.RunAsync(request, services, TestContext.Current.CancellationToken);

        var report = new List<string>();
        report.Add($"exit {result.ExitCode}");
        foreach (var file in result.Files)
        {
            report.Add($"file {file.File}");
            report.Add($"note {file.Note}");
            report.Add($"output {file.Output}");
            foreach (var change in file.Changes)
            {
                report.Add($"change {change.Site.Line}:{change.Site.Column} {change.Before} -> {change.After}");
            }
        }

        foreach (var pin in result.Pins)
        {
            report.Add($"pin {pin.File.Name} {pin.Changes.Count} {pin.Findings.Count}");
        }

        result.Errors.ToList().ForEach(error => report.Add($"error {error}"));
        result.Warnings.ToList().ForEach(warning => report.Add($"warning {warning}"));
        result.Findings.ToList().ForEach(finding => report.Add($"finding {finding.File}:{finding.Line}:{finding.Column} {finding.Code} {finding.Message}"));
        report.Add($"summary {result.Summary}");
        // A read error quotes the file's absolute path, which differs between the trees.
        return string.Join("\n", report).Replace(directory.Path, "<tree>", StringComparison.Ordinal);
    }

    /// <summary>Every file's bytes under the tree (temporary files included: none may be left).</summary>
    private static string Snapshot(TempDirectory directory) => string.Join("\n", Directory
        .EnumerateFileSystemEntries(directory.Path, "*", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(directory.Path, path))
        .Order(StringComparer.Ordinal)
        .Select(name => new FileInfo(directory.Combine(name)) switch
        {
            { LinkTarget: { } target } => $"{name} -> {Path.GetRelativePath(directory.Path, target)}",
            { Exists: true } file => $"{name}: {Convert.ToBase64String(File.ReadAllBytes(file.FullName))}",
            _ => name,
        }));

    /// <summary>Hundreds of files in a few directories, of kinds drawn at random from <paramref name="seed"/>.</summary>
    private static TempDirectory Tree(int seed)
    {
        var random = new Random(seed);
        var directory = new TempDirectory("pin-parallel");
        directory.Write("tagforge.json", Samples.Record);
        string[] folders = ["deploy/a", "deploy/b", "deploy/b/nested", "deploy"];
        for (var i = 0; i < 300; i++)
        {
            var name = $"{folders[random.Next(folders.Length)]}/file-{i:D3}.{(random.Next(4) == 0 ? "yml" : "yaml")}";
            var kind = i < 10 ? i : random.Next(10);
            var path = directory.Combine(name);
            switch (kind)
            {
                case 0:
                    directory.Write(name, Samples.Pod($"{Samples.Repository}:1.{i}"));
                    break;
                case 1:
                    directory.Write(name, Samples.Pod($"{Samples.Repository}:1.{i}", $"{Other}:2.{i}", $"{Samples.Repository}:{i}"));
                    break;
                case 2:
                    directory.Write(name, Samples.Pod($"{Other}:{i}"));
                    break;
                case 3:
                    directory.Write(name, $"apiVersion: v1\nkind: Pod\nspec: [\n  {i}\n");
                    break;
                case 4:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.CreateSymbolicLink(path, directory.Combine("nowhere", $"{i}.yaml"));
                    break;
                case 5 when !OperatingSystem.IsWindows():
                    directory.Write(name, Samples.Pod($"{Samples.Repository}:1.{i}"));
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
                    break;
                case 6:
                    directory.Write(name, $"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: {Samples.Repository}:1.{i}\n    image: {Samples.Repository}:2.{i}\n");
                    break;
                case 7:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Pod\n# "), 0xFF, 0xFE, (byte)'\n']);
                    break;
                case 8:
                    directory.Write(name, $"just: a mapping {i}\n");
                    break;
                case 9 when i % 2 == 1:
                    directory.Write(name, $"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: {{repository: {Samples.Repository}}}\n  - name: b\n    image: {Samples.Repository}:{i}\n");
                    break;
                default:
                    directory.Write(name, $"\uFEFF# {i}\r\napiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - {{name: a, image: \"{Samples.Repository}:{i}\"}}\r\n  - name: b\r\n    image: '{Other}:{i}'\r\n");
                    break;
            }
        }

        return directory;
    }
}
