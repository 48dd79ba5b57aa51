using System.Text;
using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Records;

/// <summary>The record's schema versions, its normalised merge, ambiguity and promotions.</summary>
public class BuildRecordTests
{
    private static readonly string DigestA = "sha256:" + new string('a', 64);
    private static readonly string DigestB = "sha256:" + new string('b', 64);

    private static ImageRecord Entry(string repository, string digest, string tag = "v1") => new(
        repository, tag, digest, $"{repository}@{digest}", null, [tag], null,
        new GitRecord(new string('1', 40), "main", false), new BuildInfoRecord("local", null, null), DateTimeOffset.UnixEpoch);

    private static BuildRecord Parse(string json) => BuildRecordFile.Parse(Encoding.UTF8.GetBytes(json), "tagforge.json");

    [Fact]
    public void A_record_without_version_2_members_is_still_written_as_version_1()
    {
        var json = BuildRecordFile.Serialize(BuildRecord.Empty.With(Entry("registry.example.com/app", DigestA)));

        Assert.Contains("\"schemaVersion\": 1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("platforms", json, StringComparison.Ordinal);
        Assert.DoesNotContain("promotions", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_entry_is_written_as_version_2_and_reads_back_with_its_platforms()
    {
        var entry = Entry("registry.example.com/app", DigestA) with
        {
            Name = "api",
            MediaType = "application/vnd.oci.image.index.v1+json",
            Platforms = [new PlatformRecord("linux/amd64", DigestB, "v1-linux-amd64", null), new PlatformRecord("linux/arm64", "sha256:" + new string('c', 64), null, null)],
            ContentHash = "0123abcd",
            Bases = new Dictionary<string, string> { ["registry.example.com/base:1"] = DigestB },
            Outcome = "built",
        };

        var json = BuildRecordFile.Serialize(BuildRecord.Empty.With(entry).WithPromotion(new PromotionRecord("registry.example.com/app:v1", "registry.example.com/app:prod", DigestA, DateTimeOffset.UnixEpoch, null)));
        var read = Parse(json);

        Assert.Contains("\"schemaVersion\": 2", json, StringComparison.Ordinal);
        var image = Assert.Single(read.Images);
        Assert.Equal(entry.Platforms, image.Platforms);
        Assert.Equal("api", image.Name);
        Assert.Equal(DigestB, image.Bases!["registry.example.com/base:1"]);
        Assert.Equal(DigestB, image.DigestFor("linux/amd64"));
        Assert.Null(image.DigestFor("linux/s390x"));
        Assert.Equal("registry.example.com/app:prod", Assert.Single(read.Promotions!).Destination);
    }

    [Fact]
    public void A_version_1_record_written_by_earlier_releases_still_reads()
    {
        var record = Parse(Samples.RecordJson("registry.example.com/team/app", DigestA));

        Assert.Equal(1, record.SchemaVersion);
        Assert.Null(record.Promotions);
        Assert.Null(Assert.Single(record.Images).Platforms);
    }

    [Theory]
    [InlineData("{\"schemaVersion\": \"1\", \"images\": []}", "not a version number")]
    [InlineData("{\"schemaVersion\": 1.5, \"images\": []}", "not a version number")]
    [InlineData("{\"schemaVersion\": 0, \"images\": []}", "not a version number")]
    [InlineData("{\"schemaVersion\": null, \"images\": []}", "not a version number")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("{\"schemaVersion\": 3, \"images\": []}", "newer than this TagForge reads (2)")]
    public void A_schema_version_that_is_not_a_known_number_is_bad_input_with_one_line(string json, string message)
    {
        var error = Assert.Throws<BadInputException>(() => Parse(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 99, \"schemaVersion\": 1, \"images\": []}", "\"schemaVersion\" twice")]
    [InlineData("{\"schemaVersion\": 1, \"images\": [], \"images\": []}", "\"images\" twice")]
    [InlineData("{\"schemaVersion\": 1, \"images\": [{\"repository\": \"a\"}, {\"repository\": \"a\", \"tag\": \"1\", \"tag\": \"2\"}]}", "\"images[].tag\" twice")]
    [InlineData("{\"schemaVersion\": 1, \"images\": [{\"git\": {\"commit\": \"a\", \"commit\": \"b\"}}]}", "\"images[].git.commit\" twice")]
    public void A_record_with_a_key_written_twice_in_one_object_is_bad_input_with_one_line(string json, string message)
    {
        var error = Assert.Throws<BadInputException>(() => Parse(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("the build record tagforge.json has the key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_same_key_in_two_objects_is_no_duplicate()
    {
        var record = Parse($"{{\"schemaVersion\": 1, \"images\": [{Samples.RecordEntryJson("registry.example.com/a", DigestA)}, {Samples.RecordEntryJson("registry.example.com/b", DigestB)}]}}");

        Assert.Equal([DigestA, DigestB], record.Images.Select(image => image.Digest));
    }

    [Fact]
    public void Releasing_a_repository_under_another_spelling_replaces_its_entry()
    {
        var record = BuildRecord.Empty
            .With(Entry("busybox", DigestA))
            .With(Entry("docker.io/library/busybox", DigestB, "v2"));

        var image = Assert.Single(record.Images);
        Assert.Equal(DigestB, image.Digest);
        Assert.Equal(DigestB, record.Find("busybox")?.Digest);
        Assert.Empty(record.FindAmbiguous());
    }

    [Fact]
    public void Two_spellings_of_one_repository_with_different_digests_are_reported_as_ambiguous()
    {
        var record = Parse($$"""
            {"schemaVersion": 1, "images": [
              {{Samples.RecordEntryJson("busybox", DigestA)}},
              {{Samples.RecordEntryJson("docker.io/library/busybox", DigestB)}},
              {{Samples.RecordEntryJson("registry.example.com/other", DigestB)}}
            ]}
            """);

        var (first, second) = Assert.Single(record.FindAmbiguous());

        Assert.Equal("busybox", first.Repository);
        Assert.Equal("docker.io/library/busybox", second.Repository);
    }
}
