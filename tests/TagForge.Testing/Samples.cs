using TagForge.IO;
using TagForge.Services;

namespace TagForge.Testing;

/// <summary>A build record, deployment files and services rooted in a temp directory, for the operation and task tests.</summary>
public static class Samples
{
    public const string Repository = "registry.example.com/team/api";

    public const string Tag = "20261122184000-abcdef12-7";

    public const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    public const string Record = $$"""
        {
          "schemaVersion": 1,
          "images": [
            {
              "repository": "{{Repository}}",
              "tag": "{{Tag}}",
              "digest": "{{Digest}}",
              "reference": "{{Repository}}@{{Digest}}",
              "imageId": null, "tags": ["{{Tag}}"], "platform": null,
              "git": { "commit": "abcdef1234567890abcdef1234567890abcdef12", "branch": "main", "dirty": false },
              "build": { "provider": "local", "number": "7", "url": null },
              "createdAt": "2026-11-22T18:40:00+00:00"
            }
          ]
        }

        """;

    /// <summary>One record entry, as the JSON a schema-1 record holds, for <paramref name="repository"/> at <paramref name="digest"/>.</summary>
    public static string RecordEntryJson(string repository, string digest, string tag = Tag) => $$"""
        {
          "repository": "{{repository}}", "tag": "{{tag}}", "digest": "{{digest}}", "reference": "{{repository}}@{{digest}}",
          "imageId": null, "tags": ["{{tag}}"], "platform": null,
          "git": { "commit": "abcdef1234567890abcdef1234567890abcdef12", "branch": "main", "dirty": false },
          "build": { "provider": "local", "number": "7", "url": null },
          "createdAt": "2026-11-22T18:40:00+00:00"
        }
        """;

    /// <summary>A schema-1 record with one entry.</summary>
    public static string RecordJson(string repository, string digest) =>
        $"{{\"schemaVersion\": 1, \"images\": [{RecordEntryJson(repository, digest)}]}}\n";

    /// <summary>A pod whose containers run <paramref name="images"/>; the first image is on line 8, column 12.</summary>
    public static string Pod(params string[] images) =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\nspec:\n  containers:\n"
        + string.Concat(images.Select((image, i) => $"  - name: c{i}\n    image: {image}\n"));

    /// <summary>Services working in <paramref name="directory"/> (never the process's current one), with an empty environment.</summary>
    public static TagForgeServices In(TempDirectory directory, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        new(DictionaryEnvironment.Empty, logger, workingDirectory: directory.Path);
}
