using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TagForge.Testing;

namespace TagForge.Docs;

/// <summary>
/// Every <c>```csharp</c> block of README.md and docs/*.md compiles against TagForge.Core as it is: each block is
/// compiled with Roslyn as the body of an async method, or as the members of a build class (a Nuke <c>Target</c>),
/// against the assemblies this test runs with. The names a fragment takes from its surroundings (a logger, a
/// cancellation token, Nuke's <c>RootDirectory</c> and <c>Log</c>) come from <see cref="SnippetGlobals"/> and the
/// stand-ins in <see cref="NukeStandIns"/>; everything TagForge's is real.
/// </summary>
public sealed partial class CSharpSnippetTests
{
    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, line, _) in Extract())
        {
            data.Add(file, line);
        }

        return data;
    }

    [Fact]
    public void The_docs_hold_csharp_snippets_to_compile()
    {
        Assert.True(Extract().Count >= 4, "the extraction found fewer snippets than the docs hold");
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void A_csharp_snippet_of_the_docs_compiles(string file, int line)
    {
        var (_, _, code) = Extract().Single(snippet => snippet.File == file && snippet.Line == line);

        // A snippet is statements (a script's body, with await) or members of a build class (a Nuke Target): the
        // shape that compiles is the one meant; when neither does, the statements' errors say why.
        var asStatements = Errors(code, members: false);
        var errors = asStatements.Count == 0 ? asStatements : Errors(code, members: true) is { Count: 0 } none ? none : asStatements;

        Assert.True(errors.Count == 0, $"{file}:{line}: the snippet does not compile:\n{string.Join("\n", errors)}\n\n{code}");
    }

    private static List<Diagnostic> Errors(string code, bool members)
    {
        var lines = code.Split('\n');
        var usings = lines.TakeWhile(text => UsingDirective().IsMatch(text) || text.Trim().Length == 0).ToList();
        var body = string.Join('\n', lines.Skip(usings.Count));
        var source = string.Concat(GlobalUsings.Select(name => $"global using {name};\n"))
            + string.Join('\n', usings)
            + "\npublic sealed class Snippet : TagForge.Docs.SnippetGlobals\n{\n"
            + (members ? "" : "public async System.Threading.Tasks.Task RunAsync()\n{\n")
            + $"#line {usings.Count + 1}\n{body}\n#line default\n"
            + (members ? "" : "await System.Threading.Tasks.Task.CompletedTask;\n}\n")
            + "}\n";
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview), cancellationToken: TestContext.Current.CancellationToken)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return [.. compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)];
    }

    private static readonly string[] GlobalUsings =
    [
        "System", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks", "System.Collections.Generic",
        "Microsoft.Extensions.Logging", "TagForge.Tasks", "TagForge.Testing", "TagForge.Docs.NukeStandIns",
    ];

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.Length > 0)
            .Append(typeof(SnippetGlobals).Assembly.Location)
            .Append(typeof(LocalRegistry).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path))]);

    private static List<(string File, int Line, string Code)> Extract()
    {
        var files = new[] { SourceTree.Combine("README.md") }
            .Concat(Directory.GetFiles(SourceTree.Combine("docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        var snippets = new List<(string, int, string)>();
        foreach (var path in files)
        {
            var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
            var name = Path.GetRelativePath(SourceTree.Root, path).Replace('\\', '/');
            foreach (Match block in CSharpBlock().Matches(text))
            {
                var line = text[..block.Index].Count(c => c == '\n') + 2;
                snippets.Add((name, line, block.Groups["code"].Value));
            }
        }

        return snippets;
    }

    [GeneratedRegex(@"^using [A-Za-z0-9_.]+;\s*$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^```(?:csharp|cs|c#)[ \t]*\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CSharpBlock();
}

/// <summary>What the snippets take from their surroundings, the base of the class they compile in (names as the docs write them).</summary>
#pragma warning disable CA1051, SA1307, SA1401, IDE1006 // public lower-case fields: the names the snippets use
public class SnippetGlobals
{
    public Microsoft.Extensions.Logging.ILogger logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    public string repositoryRoot = ".";
    public CancellationToken cancellationToken;
    public NukeStandIns.AbsolutePath RootDirectory = new(".");
    public NukeStandIns.Target Test = definition => definition;
}
#pragma warning restore CA1051, SA1307, SA1401, IDE1006
