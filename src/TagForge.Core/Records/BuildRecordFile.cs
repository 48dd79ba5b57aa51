using System.Text.Json;
using TagForge.Errors;

namespace TagForge.Records;

/// <summary>Reads build records. A corrupt or newer-schema record is an error, never silently replaced.</summary>
public static class BuildRecordFile
{
    /// <summary>The default file name.</summary>
    public const string DefaultPath = "tagforge.json";

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="BadInputException">Missing, unreadable, corrupt, or written by a newer TagForge.</exception>
    public static BuildRecord Read(string path) => Read(path, path);

    /// <summary>Reads <paramref name="path"/>; <paramref name="name"/> (the path as the user gave it) names it in messages.</summary>
    /// <exception cref="BadInputException">Missing, unreadable, corrupt, or written by a newer TagForge.</exception>
    public static BuildRecord Read(string path, string name)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the build record {name}: {ex.Message}", ex);
        }

        return Parse(bytes, name);
    }

    /// <summary>Reads <paramref name="path"/>, or an empty record when the file does not exist.</summary>
    public static BuildRecord ReadOrEmpty(string path) => File.Exists(path) ? Read(path) : BuildRecord.Empty;

    /// <summary>Parses a record's JSON; <paramref name="source"/> names it in messages.</summary>
    public static BuildRecord Parse(ReadOnlySpan<byte> json, string source)
    {
        // Check the version before binding the shape, so a newer schema gets the right message.
        int? schemaVersion;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BadInputException($"the build record {source} is JSON but not an object; it is not a TagForge record");
            }

            RefuseDuplicateKeys(json, source);
            schemaVersion = document.RootElement.TryGetProperty("schemaVersion", out var version) ? SchemaVersionOf(version, source) : null;
        }
        catch (JsonException ex)
        {
            throw new BadInputException($"the build record {source} is not valid JSON ({ex.Message}); fix or delete it", ex);
        }

        if (schemaVersion is null)
        {
            throw new BadInputException($"the build record {source} has no schemaVersion; it is not a TagForge record");
        }

        if (schemaVersion > BuildRecord.CurrentSchemaVersion)
        {
            throw new BadInputException(
                $"the build record {source} has schemaVersion {schemaVersion}, newer than this TagForge reads ({BuildRecord.CurrentSchemaVersion}); upgrade TagForge");
        }

        try
        {
            var record = JsonSerializer.Deserialize(json, RecordJsonContext.Default.BuildRecord);
            return record is { Images: not null } && record.Images.All(IsComplete)
                ? record
                : throw new BadInputException($"the build record {source} is missing required fields; fix or delete it");
        }
        catch (JsonException ex)
        {
            throw new BadInputException($"the build record {source} does not have the record's shape ({ex.Message}); fix or delete it", ex);
        }
    }

    /// <summary>The record as the JSON TagForge writes, stamped with the lowest schema version that holds it.</summary>
    public static string Serialize(BuildRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.Serialize(record with { SchemaVersion = record.RequiredSchemaVersion }, RecordJsonContext.Default.BuildRecord) + "\n";
    }

    private static int SchemaVersionOf(JsonElement version, string source) =>
        version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var number) && number >= 1
            ? number
            : throw new BadInputException(
                $"the build record {source} has schemaVersion {Shorten(version.GetRawText())}, which is not a version number (1 or {BuildRecord.CurrentSchemaVersion}); fix or delete it");

    /// <summary>
    /// A key written twice in one object (<c>"schemaVersion": 99</c> then <c>1</c>) is refused: readers disagree on
    /// which one counts (.NET takes the last, others the first), so the record does not say one thing.
    /// </summary>
    private static void RefuseDuplicateKeys(ReadOnlySpan<byte> json, string source)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var containers = new Stack<(string Path, HashSet<string>? Keys)>();
        string? valueOf = null; // the path of the key whose value comes next
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var at = valueOf ?? (containers.TryPeek(out var container) ? container.Path + "[]" : "");
                    containers.Push((at, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                    valueOf = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    containers.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var key = reader.GetString()!;
                    var (parent, keys) = containers.Peek();
                    valueOf = parent.Length == 0 ? key : $"{parent}.{key}";
                    if (!keys!.Add(key))
                    {
                        throw new BadInputException(
                            $"the build record {source} has the key \"{valueOf}\" twice in one object; readers disagree on which one counts, so keep one");
                    }

                    break;
                default:
                    valueOf = null;
                    break;
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static bool IsComplete(ImageRecord image) =>
        image is { Repository: not null, Tag: not null, Digest: not null, Reference: not null, Git: not null, Build: not null }
        && (image.Platforms is null || image.Platforms.All(platform => platform is { Platform: not null, Digest: not null }));
}
