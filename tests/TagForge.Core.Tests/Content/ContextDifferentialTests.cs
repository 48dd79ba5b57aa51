using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Content;

/// <summary>
/// The content identity against the real engine (needs Docker: the classic builder through the docker CLI on PATH,
/// BuildKit through <c>/usr/bin/docker</c> 20.10 with <c>DOCKER_BUILDKIT=1</c>). Random contexts and random
/// <c>.dockerignore</c> files (<see cref="ContextCaseGenerator"/>, seeded: the seed is printed; set
/// <c>TAGFORGE_IDENTITY_SEED</c> to replay, <c>TAGFORGE_IDENTITY_CASES</c> for more cases) are built
/// <c>FROM scratch</c> with <c>COPY . /ctx/</c> by both builders, the images read back with <c>docker save</c>,
/// and compared with what the identity covers: the same files, modes, bytes and link targets, nothing more, nothing
/// less. Each context is then changed a little and built again: the same identity must mean the same files.
/// </summary>
[Collection(DockerEngine.CollectionName)]
[UnsupportedOSPlatform("windows")]
public class ContextDifferentialTests(ITestOutputHelper output)
{
    private const string Repository = "tagforge-identity-diff";
    private static readonly string BuildKitDocker = Environment.GetEnvironmentVariable("TAGFORGE_TEST_BUILDKIT_DOCKER") is { Length: > 0 } cli ? cli : "/usr/bin/docker";

    [Fact]
    public async Task Every_file_each_builder_puts_in_the_image_is_in_the_identity_and_nothing_it_leaves_out()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TAGFORGE_IDENTITY_SEED"), CultureInfo.InvariantCulture, out var given) ? given : Random.Shared.Next();
        var cases = int.TryParse(Environment.GetEnvironmentVariable("TAGFORGE_IDENTITY_CASES"), CultureInfo.InvariantCulture, out var count) ? count : 6;
        output.WriteLine($"seed {seed} (TAGFORGE_IDENTITY_SEED={seed} replays it), {cases} cases");
        var generator = new ContextCaseGenerator(new Random(seed));
        using var directory = new TempDirectory("identity-diff");
        var builds = new List<Build>();
        try
        {
            for (var n = 0; n < cases; n++)
            {
                var root = directory.Combine($"case{n}", "context");
                Directory.CreateDirectory(root);
                File.WriteAllText(directory.Combine($"case{n}", "outside"), "outside the context\n");
                // The last case has patterns both builders provably apply alike: the identity walks the context once.
                var alike = n == cases - 1;
                var dockerfile = await generator.WriteAsync(root, alike);
                var ignore = File.Exists(dockerfile + ".dockerignore") ? "\n--- Dockerfile.dockerignore\n" + File.ReadAllText(dockerfile + ".dockerignore") : "";
                var description = $"seed {seed} case {n}{(alike ? " (alike)" : "")} (-f {Path.GetRelativePath(root, dockerfile)})\n--- .dockerignore\n{File.ReadAllText(Path.Combine(root, ".dockerignore"))}{ignore}";
                Assert.True(!alike || BuilderAgreement.SelectAlike(ContextWalker.Resolve(root), dockerfile), description);
                builds.AddRange(AssertAlike(alike, await BuildBothAsync(root, dockerfile, $"{n}a", description)));
                var change = generator.Mutate(root);
                builds.AddRange(AssertAlike(alike, await BuildBothAsync(root, dockerfile, $"{n}b", description + $"\n--- then {change}")));
            }

            var images = await SavedImages.ReadAsync(Requirements.DockerCli, [.. builds.Where(b => b.Error is null && b.Identity != "error").Select(b => b.Tag)]);
            var byIdentity = new Dictionary<string, (string Fingerprint, string Description)>(StringComparer.Ordinal);
            // The identity a release uses (either builder): one value must stand for one image per builder.
            var byEither = new Dictionary<string, (string Fingerprint, string Description)>(StringComparer.Ordinal);
            foreach (var build in builds)
            {
                if (build.Identity == "error")
                {
                    // TagForge refused the context (bad input): the builder must refuse it too.
                    Assert.True(build.Error is not null, $"{build.Rules} built what TagForge refused: {build.Expected}\n{build.Description}");
                    continue;
                }

                Assert.True(build.Error is null, $"{build.Rules} could not build what TagForge hashed: {build.Error}\n{build.Description}");
                var actual = Fingerprint(images[build.Tag], build.Expected);
                Assert.True(build.Expected == actual, $"{build.Rules}: the image differs from the identity's files\n{Diff(build.Expected, actual)}\n{build.Description}");
                if (byIdentity.TryGetValue(build.Identity, out var seen))
                {
                    Assert.True(seen.Fingerprint == actual, $"one identity, two different images:\n{seen.Description}\n---\n{build.Description}");
                }

                byIdentity[build.Identity] = (actual, build.Description);
                if (byEither.TryGetValue($"{build.Either} {build.Rules}", out var sameRelease))
                {
                    Assert.True(sameRelease.Fingerprint == actual, $"one release identity, two different {build.Rules} images:\n{sameRelease.Description}\n---\n{build.Description}");
                }

                byEither[$"{build.Either} {build.Rules}"] = (actual, build.Description);
            }

            output.WriteLine($"{builds.Count} builds, {byIdentity.Count} distinct identities");
        }
        finally
        {
            await ProcessRunner.RunAsync(Requirements.DockerCli, ["rmi", "-f", .. builds.Select(b => b.Tag)], cancellationToken: TestContext.Current.CancellationToken);
        }
    }

    private static async Task<Build[]> BuildBothAsync(string root, string dockerfile, string name, string description)
    {
        var classic = Identify(root, dockerfile, ContextRules.Classic);
        var buildKit = Identify(root, dockerfile, ContextRules.BuildKit);
        var either = IdentifyForEither(root, dockerfile);
        var results = await Task.WhenAll(
            BuildAsync(Requirements.DockerCli, "0", root, dockerfile, $"{Repository}:{name}-classic"),
            BuildAsync(BuildKitDocker, "1", root, dockerfile, $"{Repository}:{name}-buildkit"));
        return
        [
            new Build(ContextRules.Classic, $"{Repository}:{name}-classic", classic.Identity, classic.Expected, results[0], $"{description}\n--- identity (classic)\n{classic.Manifest}", either),
            new Build(ContextRules.BuildKit, $"{Repository}:{name}-buildkit", buildKit.Identity, buildKit.Expected, results[1], $"{description}\n--- identity (buildkit)\n{buildKit.Manifest}", either),
        ];
    }

    /// <summary>Where the rule says alike, both selections are one, and the release's identity is BuildKit's alone (each image is then compared with it).</summary>
    private static Build[] AssertAlike(bool alike, Build[] pair)
    {
        if (alike)
        {
            Assert.True(pair[0].Expected == pair[1].Expected, $"the rule said alike, the selections differ\n{Diff(pair[0].Expected, pair[1].Expected)}\n{pair[0].Description}");
            Assert.Equal(pair[1].Identity, pair[1].Either);
        }

        return pair;
    }

    private static string IdentifyForEither(string root, string dockerfile)
    {
        try
        {
            using var snapshot = ContentSnapshot.TryOpen(root);
            return ContentHasher.IdentifyForEitherBuilder(new ContentInput { ContextPath = root, Dockerfile = dockerfile, Platform = "linux/amd64" }, snapshot).Value;
        }
        catch (BadInputException)
        {
            return "error";
        }
    }

    private static (string Identity, string Expected, string Manifest) Identify(string root, string dockerfile, ContextRules rules)
    {
        try
        {
            using var snapshot = ContentSnapshot.TryOpen(root);
            var identity = ContentHasher.Identify(new ContentInput { ContextPath = root, Dockerfile = dockerfile, Rules = rules, Platform = "linux/amd64" }, snapshot);
            return (identity.Value, Expected(identity.Entries), identity.Manifest);
        }
        catch (BadInputException ex)
        {
            return ("error", "error: " + ex.Message, "");
        }
    }

    private static async Task<string?> BuildAsync(string docker, string buildKit, string root, string dockerfile, string tag)
    {
        // --no-cache: the image must be what this build received, and a cache hit on an image another test removes
        // meanwhile fails the classic builder ("unable to find image", seen once in CI).
        var result = await ProcessRunner.RunAsync(docker, ["build", "-q", "--no-cache", "-t", tag, "-f", dockerfile, root], root, new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = buildKit });
        return result.ExitCode == 0 ? null : result.StandardError.Trim();
    }

    /// <summary>The image the identity's entries make: each entry, and every parent directory of one (a directory the builder does not send is still created, with a mode of its own).</summary>
    private static string Expected(IReadOnlyList<ContextEntry> entries)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            for (var slash = entry.Path.IndexOf('/'); slash > 0; slash = entry.Path.IndexOf('/', slash + 1))
            {
                files.TryAdd(entry.Path[..slash], "dir");
            }

            files[entry.Path] = entry.Kind switch
            {
                ContextEntryKind.Directory when entry.Mode < 0 => "dir",
                ContextEntryKind.Directory => "dir " + Octal(entry.Mode),
                ContextEntryKind.Symlink => "link " + entry.LinkTarget,
                _ => $"file {Octal(entry.Mode)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry.FullPath)))}",
            };
        }

        return Render(files);
    }

    /// <summary>The image's files under <c>/ctx/</c>, in the form of <see cref="Expected"/>: a directory the identity says the builder creates itself is only "dir".</summary>
    private static string Fingerprint(SortedDictionary<string, ImageEntry> image, string expected)
    {
        var implied = expected.Split('\n').Where(l => l.EndsWith("\tdir", StringComparison.Ordinal)).Select(l => l[..^4]).ToHashSet(StringComparer.Ordinal);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, entry) in image.Where(e => e.Key.StartsWith("ctx/", StringComparison.Ordinal)))
        {
            files[path[4..]] = entry.Kind switch
            {
                "dir" when implied.Contains(path[4..]) => "dir",
                "dir" => "dir " + Octal(entry.Mode),
                "link" => "link " + entry.Content,
                _ => $"file {Octal(entry.Mode)} {entry.Content}",
            };
        }

        return Render(files);
    }

    /// <summary>One line per path; a directory the builder did not send matches any mode.</summary>
    private static string Render(SortedDictionary<string, string> files) =>
        string.Concat(files.Select(f => $"{f.Key}\t{f.Value}\n"));

    private static string Octal(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');

    private static string Diff(string expected, string actual)
    {
        var want = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var got = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var line in want.Except(got))
        {
            text.Append("identity only: ").Append(line).Append('\n');
        }

        foreach (var line in got.Except(want))
        {
            text.Append("image only:    ").Append(line).Append('\n');
        }

        return text.ToString();
    }

    private sealed record Build(ContextRules Rules, string Tag, string Identity, string Expected, string? Error, string Description, string Either);
}
