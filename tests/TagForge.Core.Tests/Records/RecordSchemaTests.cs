using System.Text.Json;
using Json.Schema;
using TagForge.Engine;
using TagForge.Services;
using TagForge.Testing;

namespace TagForge.Records;

/// <summary>
/// docs/record.schema.json (JSON Schema 2020-12, checked with JsonSchema.Net) against records TagForge really writes:
/// version 1, a monorepo release's built and reused entries (real engine and registry), and an index entry with
/// its platforms; and a record with a field missing fails it, so the check can fail.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public class RecordSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(SourceTree.Root, "docs", "record.schema.json"))));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static void AssertValid(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"not valid against docs/record.schema.json:\n{JsonSerializer.Serialize(result)}\n{json}");
    }

    private static bool IsValid(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions()).IsValid;
    }

    private static ImageRecord Entry() => new(
        "registry.example.com/app", "v1", "sha256:" + new string('a', 64), "registry.example.com/app@sha256:" + new string('a', 64), "sha256:" + new string('b', 64), ["v1"], null,
        new GitRecord(new string('c', 40), "main", false), new BuildInfoRecord("local", "local", null), DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_version_1_record_and_an_index_entry_with_platforms_are_valid_and_a_missing_digest_is_not()
    {
        var v1 = BuildRecordFile.Serialize(BuildRecord.Empty.With(Entry()));
        Assert.Contains("\"schemaVersion\": 1", v1, StringComparison.Ordinal);
        AssertValid(v1);

        var index = Entry() with
        {
            Name = "api",
            MediaType = "application/vnd.oci.image.index.v1+json",
            ImageId = null,
            Platforms = [new PlatformRecord("linux/amd64", "sha256:" + new string('d', 64), "v1-linux-amd64", null), new PlatformRecord("linux/arm64/v8", "sha256:" + new string('e', 64), null, null)],
            ContentHash = new string('f', 64),
            Bases = new Dictionary<string, string> { ["registry.example.com/base:1"] = "sha256:" + new string('a', 64) },
            Outcome = "built",
        };
        AssertValid(BuildRecordFile.Serialize(BuildRecord.Empty.With(index)));

        Assert.False(IsValid(v1.Replace("\"digest\":", "\"digests\":", StringComparison.Ordinal)));
        Assert.False(IsValid(v1.Replace("\"schemaVersion\": 1", "\"schemaVersion\": 3", StringComparison.Ordinal)));
        Assert.False(IsValid(BuildRecordFile.Serialize(BuildRecord.Empty.With(index with { Outcome = "maybe" }))));
    }

    [Fact]
    public async Task The_records_a_monorepo_release_writes_are_valid()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var repository = await TestRepository.InitAsync();
        repository.WriteFile("a/Dockerfile", "FROM scratch\nCOPY a.txt /a.txt\n");
        repository.WriteFile("a/a.txt", $"{Guid.NewGuid()}\n");
        repository.WriteFile("b/Dockerfile", "ARG BASE\nFROM $BASE\nCOPY b.txt /b.txt\n");
        repository.WriteFile("b/b.txt", $"{Guid.NewGuid()}\n");
        repository.WriteFile("tagforge.yml", $"image: {registry.Host}/schema\nimages:\n  - name: a\n    context: a\n  - name: b\n    context: b\n    depends-on: [a]\n    build-args: {{ BASE: \"{{image:a}}\" }}\n");
        await repository.CommitAsync("two images");
        using var services = new TagForgeServices(workingDirectory: repository.Path);
        var request = new MonorepoRequest
        {
            SkipUnchanged = true,
            Release = new Release.ReleaseRequest { RemoveLocal = true, Tag = new Tagging.TagRequest { Template = "{sha:8}-{content:8}" } },
        };

        var built = await ReleaseEngine.RunAsync(request, services, Token);
        Assert.Equal(Errors.ExitCode.Ok, built.ExitCode);
        var record = Path.Combine(repository.Path, "tagforge.json");
        AssertValid(File.ReadAllText(record));

        var reused = await ReleaseEngine.RunAsync(request with { Release = request.Release with { RecordPath = "again.json" } }, services, Token);
        Assert.All(reused.Images, image => Assert.Equal(ImageOutcomeKind.Reused, image.Kind));
        AssertValid(File.ReadAllText(Path.Combine(repository.Path, "again.json")));
    }
}
