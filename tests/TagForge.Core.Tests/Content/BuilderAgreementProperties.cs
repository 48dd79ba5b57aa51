using System.Runtime.Versioning;
using CsCheck;
using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Content;

/// <summary>
/// <see cref="BuilderAgreement"/> against both walks, over generated trees (files, directories, links, modes) and
/// generated <c>.dockerignore</c> files (CsCheck): whenever it says both builders select alike, the classic walk
/// and BuildKit's give the same entries and the same identity. The patterns are drawn mostly from what the rule
/// accepts (no <c>!</c>) so that "alike" is tested often, and with every known difference now and then.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BuilderAgreementProperties(ITestOutputHelper output)
{
    private static readonly Gen<string> Name = Gen.OneOf("a", "b", "ab", "src", "dist", "x.md", "y.tmp", "df", "Dockerfile", "sp ace", "ü", "[x]", "*s", ".hidden");

    private static readonly Gen<Node> Nodes = Gen.Select(
        Name.Array[1, 3],
        Gen.Int[0, 9],
        Gen.OneOf(0b110_100_100, 0b111_101_101, 0b110_000_000, 0b111_000_000),
        Gen.OneOf("a", "../outside", "/nonexistent", "src/a", "df"),
        (parts, kind, mode, target) => new Node(string.Join('/', parts), kind < 6 ? NodeKind.File : kind < 9 ? NodeKind.Directory : NodeKind.Link, mode, target));

    /// <summary>A name as a pattern part (escaped where the matcher would read it), or a glob, or a wildcard alone.</summary>
    private static readonly Gen<string> Part = Gen.Frequency(
        (6, Name.Select(name => name.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal))),
        (2, Gen.OneOf("*", "?", "*.md", "*.tmp", "a*", "?b", "[ab]", "[!a]b", "[^a]*", "s*c", "**", "\\a", "d?")));

    private static readonly Gen<string> Plain = Gen.Select(Part.Array[1, 3], Gen.Int[0, 9], (parts, shape) => Shape(string.Join('/', parts), shape));

    private static readonly Gen<string> Pattern = Gen.Frequency(
        (8, Plain),
        (2, Gen.OneOf(".dockerignore", "Dockerfile", "df", "df/Dockerfile", "**/Dockerfile", "**/df", "d*/", "d*", "*", "**", "**a", "**.md", "./**b", "**b/a")),
        (2, Plain.Select(pattern => "!" + pattern)),
        (2, Gen.Select(Plain, Part, (pattern, part) => $"{pattern}\n!{pattern.TrimEnd('/')}/{part}")));

    private static readonly Gen<Case> Cases = Gen.Select(
        Nodes.Array[0, 14],
        Pattern.Array[0, 5],
        Gen.OneOf(DockerfilePlace.Default, DockerfilePlace.Root, DockerfilePlace.Subdirectory, DockerfilePlace.Outside),
        Gen.Frequency((6, Gen.Const((string?)null)), (1, Pattern.Select(pattern => (string?)pattern))),
        (nodes, patterns, place, perDockerfile) => new Case(nodes, patterns, place, perDockerfile));

    [Fact]
    public void Whenever_the_rule_says_both_builders_select_alike_both_walks_send_the_same_entries()
    {
        using var directory = new TempDirectory("builder-agreement");
        var (cases, alike, alikeIgnoringSomething) = (0, 0, 0);
        Cases.Sample(testCase =>
        {
            var root = directory.Combine($"case{Interlocked.Increment(ref cases)}", "context");
            var dockerfile = Write(root, testCase);
            bool agree;
            try
            {
                agree = BuilderAgreement.SelectAlike(ContextWalker.Resolve(root), dockerfile);
            }
            catch (BadInputException)
            {
                return; // a pattern the engine refuses: both walks refuse it too
            }

            if (!agree)
            {
                return;
            }

            Interlocked.Increment(ref alike);
            var buildKit = Outcome(root, dockerfile, ContextRules.BuildKit);
            var classic = Outcome(root, dockerfile, ContextRules.Classic);
            Assert.True(buildKit == classic, $"the rule said alike, the walks differ:\n{testCase}\n--- buildkit\n{buildKit}\n--- classic\n{classic}");
            if (testCase.Patterns.Length > 0 && buildKit.Split('\n').Length - 1 < Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Count())
            {
                Interlocked.Increment(ref alikeIgnoringSomething);
            }
        }, iter: 500, threads: 1);

        output.WriteLine($"{cases} cases, {alike} accepted, {alikeIgnoringSomething} of them leave something out");
        // Not vacuous: many cases are accepted, and among them many whose patterns do leave something out.
        Assert.True(alike > cases / 10, $"{alike} of {cases} cases accepted");
        Assert.True(alikeIgnoringSomething > cases / 50, $"{alikeIgnoringSomething} of {cases} accepted cases leave something out");
    }

    [Theory]
    [InlineData("*.md\n**/*.tmp\nsrc/a\ndist/**\n", "Dockerfile", true)]
    [InlineData("", "Dockerfile", true)]
    [InlineData("# comment only\n", "df/Dockerfile", true)]
    [InlineData("**/a\n", "Dockerfile", true)]
    [InlineData("df/*.md\n", "df/Dockerfile", true)]
    [InlineData("*.md\n!x.md\n", "Dockerfile", false)]
    [InlineData("**a\n", "Dockerfile", false)]
    [InlineData("**\n", "Dockerfile", false)]
    [InlineData(".dockerignore\n", "Dockerfile", false)]
    [InlineData(".docker*\n", "Dockerfile", false)]
    [InlineData("Dockerfile\n", "Dockerfile", false)]
    [InlineData("**/Dockerfile\n", "df/Dockerfile", false)]
    [InlineData("df\n", "df/Dockerfile", false)]
    [InlineData("d?/**\n", "df/Dockerfile", false)]
    public void Patterns_are_accepted_only_without_exceptions_a_leading_double_star_or_a_match_on_the_build_files(string ignore, string dockerfile, bool alike)
    {
        Assert.Equal(alike, BuilderAgreement.PatternsSelectAlike(DockerIgnore.Parse(ignore), dockerfile));
    }

    [Fact]
    public void A_dockerfile_outside_the_context_or_a_per_dockerfile_ignore_file_means_two_walks()
    {
        using var directory = new TempDirectory("builder-agreement-files");
        var root = directory.Combine("context");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "Dockerfile"), "FROM scratch\n");
        File.WriteAllText(Path.Combine(root, ".dockerignore"), "*.md\n");
        File.WriteAllText(directory.Combine("Dockerfile"), "FROM scratch\n");

        Assert.True(BuilderAgreement.SelectAlike(root, null));
        Assert.False(BuilderAgreement.SelectAlike(root, directory.Combine("Dockerfile")));
        File.WriteAllText(Path.Combine(root, "Dockerfile.dockerignore"), "*.md\n");
        Assert.False(BuilderAgreement.SelectAlike(root, Path.Combine(root, "Dockerfile")));
    }

    private static string Shape(string pattern, int shape) => shape switch
    {
        0 => "**/" + pattern,
        1 => pattern + "/**",
        2 => "/" + pattern,
        3 => "./" + pattern,
        4 => pattern + "/",
        _ => pattern,
    };

    /// <summary>The entries a walk sends and the identity (or the walk's refusal), as text.</summary>
    private static string Outcome(string root, string? dockerfile, ContextRules rules)
    {
        try
        {
            var entries = ContextWalker.Walk(root, dockerfile, rules);
            var identity = ContentHasher.Identify(new ContentInput { ContextPath = root, Dockerfile = dockerfile, Rules = rules }, null).Value;
            return string.Concat(entries.Select(e => $"{e.Path}\t{e.Kind} {e.Mode} {e.LinkTarget}\n")) + identity;
        }
        catch (BadInputException ex)
        {
            return "refused: " + ex.Message;
        }
    }

    /// <summary>Writes the case under <paramref name="root"/>; returns the Dockerfile path to build with (null: the context's <c>Dockerfile</c>).</summary>
    private static string? Write(string root, Case testCase)
    {
        Directory.CreateDirectory(root);
        foreach (var node in testCase.Nodes)
        {
            var full = Path.Combine(root, node.Path);
            if (!MakeParents(root, node.Path) || Path.Exists(full) || new FileInfo(full).LinkTarget is not null)
            {
                continue; // a file or link stands where a directory would go, or the entry exists
            }

            switch (node.Kind)
            {
                case NodeKind.File:
                    File.WriteAllText(full, node.Path + "\n");
                    File.SetUnixFileMode(full, (UnixFileMode)node.Mode);
                    break;
                case NodeKind.Directory:
                    Directory.CreateDirectory(full);
                    File.SetUnixFileMode(full, (UnixFileMode)(node.Mode | 0b111_000_000));
                    break;
                default:
                    File.CreateSymbolicLink(full, node.LinkTarget);
                    break;
            }
        }

        var dockerfile = testCase.Place switch
        {
            DockerfilePlace.Subdirectory => Path.Combine(root, "df", "Dockerfile"),
            DockerfilePlace.Outside => Path.Combine(Path.GetDirectoryName(root)!, "Dockerfile"),
            _ => Path.Combine(root, "Dockerfile"),
        };
        var placed = testCase.Place == DockerfilePlace.Outside || MakeParents(root, Path.GetRelativePath(root, dockerfile));
        if (placed && !Path.Exists(dockerfile) && new FileInfo(dockerfile).LinkTarget is null)
        {
            File.WriteAllText(dockerfile, "FROM scratch\nCOPY . /\n");
        }

        File.WriteAllText(Path.Combine(root, ".dockerignore"), string.Join('\n', testCase.Patterns) + "\n");
        if (placed && testCase.PerDockerfileIgnore is { } perDockerfile && !Path.Exists(dockerfile + ".dockerignore"))
        {
            File.WriteAllText(dockerfile + ".dockerignore", perDockerfile + "\n");
        }

        return testCase.Place == DockerfilePlace.Default ? null : dockerfile;
    }

    /// <summary>Creates the directories above <paramref name="path"/>; false when a file or link is in the way (nothing is written through a link).</summary>
    private static bool MakeParents(string root, string path)
    {
        var current = root;
        foreach (var part in path.Split('/')[..^1])
        {
            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null || File.Exists(current))
            {
                return false;
            }

            Directory.CreateDirectory(current);
        }

        return true;
    }

    private enum NodeKind
    {
        File,
        Directory,
        Link,
    }

    private enum DockerfilePlace
    {
        Default,
        Root,
        Subdirectory,
        Outside,
    }

    private sealed record Node(string Path, NodeKind Kind, int Mode, string LinkTarget);

    private sealed record Case(Node[] Nodes, string[] Patterns, DockerfilePlace Place, string? PerDockerfileIgnore)
    {
        public override string ToString() =>
            $"{Place}\n--- tree\n{string.Join('\n', Nodes.Select(n => $"{n.Kind} {n.Path} {Convert.ToString(n.Mode, 8)} {(n.Kind == NodeKind.Link ? n.LinkTarget : "")}"))}\n--- .dockerignore\n{string.Join('\n', Patterns)}\n--- per-Dockerfile\n{PerDockerfileIgnore}";
    }
}
