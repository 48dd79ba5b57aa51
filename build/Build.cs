using System.Formats.Tar;
using System.IO.Compression;
using TagForge.Errors;
using TagForge.Tasks;

namespace TagForge.Build;

/// <summary>
/// The targets. Read it as a Nuke <c>Build</c> class: each target is a property, dependencies are declared on it,
/// and the version comes from TagForge's own <see cref="TagForgeTasks.Tag(TagSettings)"/>.
/// </summary>
internal sealed class Build
{
    public const string DefaultTarget = "Pack";

    private readonly string _configuration;
    private readonly string? _registry;
    private readonly Lazy<string> _version;

    public Build(string root, string configuration, string? version, string? registry, string? artifacts = null)
    {
        Root = root;
        Artifacts = Path.GetFullPath(artifacts ?? Path.Combine(root, "artifacts"));
        _configuration = configuration;
        _registry = registry;
        _version = new Lazy<string>(() => version ?? ComputeVersion(root));
        TagForgeTasks.SetLogger(new ConsoleLogger());
    }

    public string Root { get; }

    public string Artifacts { get; }

    public string Packages => Path.Combine(Artifacts, "packages");

    public string Aot => Path.Combine(Artifacts, "aot");

    public string Version => _version.Value;

    public IReadOnlyList<Target> Targets => [Compile, Test, Pack, PublishAot, Release];

    public Target Compile => field ??= new Target(nameof(Compile))
        .Describe("Build the library and the CLI with the version TagForge computes for itself")
        .Executes(() => DotNet("build", "src/TagForge.Cli", "-c", _configuration, $"-p:Version={Version}"));

    public Target Test => field ??= new Target(nameof(Test))
        .Describe("Build and run every test (needs what scripts/test.sh sets up: docker, docker-registry)")
        .DependsOn(() => Compile)
        .Executes(() => DotNet("test", "--solution", "TagForge.sln", "-c", _configuration, $"-p:Version={Version}"));

    public Target Pack => field ??= new Target(nameof(Pack))
        .Describe("Pack TagForge.Core and the TagForge dotnet tool into artifacts/packages")
        .DependsOn(() => Compile)
        .Executes(() =>
        {
            DotNet("pack", "src/TagForge.Core", "-c", _configuration, "--no-build", $"-p:Version={Version}", "-o", Packages);
            DotNet("pack", "src/TagForge.Cli", "-c", _configuration, "--no-build", $"-p:Version={Version}", "-o", Packages);

            // The version is what `dotnet tool install` needs (without it, a prerelease is "not found"): say it last.
            Console.Error.WriteLine($"build: packed TagForge {Version} into {Packages}; install the tool with:");
            Console.Error.WriteLine($"  dotnet tool install -g TagForge --add-source {Packages} --version {Version}");
        });

    public Target PublishAot => field ??= new Target(nameof(PublishAot))
        .Describe("Publish tagforge as a linux-x64 Native AOT binary into artifacts/aot, and the tarball the GitHub Action's aot install downloads")
        .DependsOn(() => Compile)
        .Executes(() =>
        {
            DotNet("publish", "src/TagForge.Cli", "-c", _configuration, "-r", "linux-x64", "-p:PublishAot=true", $"-p:Version={Version}", "-o", Aot);
            var tarball = Path.Combine(Artifacts, $"tagforge-{Version}-linux-x64.tar.gz");
            using var file = File.Create(tarball);
            using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
            using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
            // The binary and LibGit2Sharp's native library, which must stay beside it.
            foreach (var path in Directory.EnumerateFiles(Aot).Where(f => Path.GetFileName(f) == "tagforge" || f.EndsWith(".so", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                tar.WriteEntry(path, Path.GetFileName(path));
            }

            Console.Error.WriteLine($"build: wrote {tarball}");
        });

    public Target Release => field ??= new Target(nameof(Release))
        .Describe("Release a sample image with TagForgeTasks.Release to --registry")
        .DependsOn(() => PublishAot)
        .Executes(ReleaseSample);

    /// <summary>The repository root: the nearest directory up from here holding TagForge.sln.</summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "TagForge.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new BuildFailedException("cannot find TagForge.sln above the current directory");
    }

    /// <summary>TagForge's version, computed by TagForge: the nearest v-tag, MinVer-style, from git.</summary>
    private static string ComputeVersion(string root)
    {
        try
        {
            var version = TagForgeTasks.Tag(s => s.SetWorkingDirectory(root).SetTemplate("{version}")).Tag;
            Console.Error.WriteLine($"build: version {version} (TagForge's {{version}} from git)");
            return version;
        }
        catch (TagForgeException ex)
        {
            throw new BuildFailedException($"cannot compute the version from git ({ex.Message}); pass --version");
        }
    }

    /// <summary>
    /// Releases TagForge itself as a sample image (FROM scratch: the AOT binary, its native library and a VERSION file)
    /// to <c>--registry</c>, the way a Nuke target would call <see cref="TagForgeTasks.Release(Configure{ReleaseSettings})"/>.
    /// </summary>
    private void ReleaseSample()
    {
        var registry = _registry ?? throw new BuildFailedException("Release needs --registry HOST[:PORT], e.g. --registry 127.0.0.1:5000");
        var context = Path.Combine(Artifacts, "image");
        if (Directory.Exists(context))
        {
            Directory.Delete(context, recursive: true);
        }

        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "VERSION"), Version + "\n");
        if (Directory.Exists(Aot))
        {
            foreach (var file in Directory.EnumerateFiles(Aot).Where(f => Path.GetFileName(f) == "tagforge" || f.EndsWith(".so", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(context, Path.GetFileName(file)));
            }
        }

        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM scratch\nARG VERSION\nLABEL org.opencontainers.image.version=$VERSION\nCOPY . /opt/tagforge/\n");

        var result = TagForgeTasks.Release(s => s
            .SetWorkingDirectory(Root)
            .SetImage($"{registry}/tagforge/sample")
            .SetContext(context)
            .SetTemplate("v.{sha:8}_{time:yyyyMMddHHmm}-{build}")
            .AddBuildArg("VERSION", Version)
            .SetRecord(Path.Combine(Artifacts, "tagforge.json"))
            .EnableRemoveLocal());

        Console.WriteLine(result.Reference);
        Console.Error.WriteLine($"build: released {result.Tag} = {result.Digest}; recorded in {Path.Combine(Artifacts, "tagforge.json")}");
    }

    private void DotNet(params string[] arguments) => Shell.Run("dotnet", arguments, Root);
}
