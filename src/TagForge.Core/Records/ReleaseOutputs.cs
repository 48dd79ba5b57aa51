using System.Text;
using TagForge.IO;

namespace TagForge.Records;

/// <summary>
/// What a release leaves for the next step, written once at its end from the final result: the record entry, a
/// dotenv file (<c>IMAGE_TAG</c>, <c>IMAGE_DIGEST</c>, <c>IMAGE_REF</c>), GitHub Actions outputs (<c>tag</c>,
/// <c>digest</c>, <c>reference</c>, <c>record</c>: exactly one set, the index's for a multi-platform image) and a
/// step summary table when <c>GITHUB_OUTPUT</c> / <c>GITHUB_STEP_SUMMARY</c> are set. A release of several images
/// writes one set per image (<c>NAME_tag</c>, <c>NAME_digest</c>, <c>NAME_reference</c>) and <c>images</c>, a JSON map.
/// </summary>
public static class ReleaseOutputs
{
    /// <summary>
    /// Merges <paramref name="image"/> into the record <paramref name="recordFile"/> (absolute; none when null), then
    /// writes the dotenv file and GitHub's outputs, which name the record as <paramref name="recordPath"/> (as given).
    /// </summary>
    public static async Task WriteAllAsync(IEnvironmentVariables environment, ImageRecord image, string? recordFile, string? recordPath, string? dotenvFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(image);
        if (recordFile is not null)
        {
            await BuildRecordStore.MergeAsync(recordFile, image, cancellationToken).ConfigureAwait(false);
        }

        if (dotenvFile is not null)
        {
            WriteDotenv(dotenvFile, image);
        }

        WriteGitHub(environment, image, recordFile is null ? null : recordPath);
    }

    /// <summary>
    /// The outputs of a release of several images, once: the record gets every entry in one update, the dotenv file
    /// one set per image (<c>NAME_IMAGE_TAG</c>…, NAME upper-cased with <c>_</c> for other characters), GitHub one set
    /// per image (<c>NAME-tag</c>, <c>NAME-digest</c>, <c>NAME-reference</c>) plus <c>images</c> (a JSON map of name to
    /// <c>{tag, digest, reference}</c>) and <c>record</c>, and one summary table.
    /// </summary>
    public static async Task WriteAllAsync(IEnvironmentVariables environment, IReadOnlyList<ImageRecord> images, string? recordFile, string? recordPath, string? dotenvFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return;
        }

        if (recordFile is not null)
        {
            await BuildRecordStore.UpdateAsync(recordFile, record => images.Aggregate(record, (current, image) => current.With(image)), cancellationToken).ConfigureAwait(false);
        }

        if (dotenvFile is not null)
        {
            KeyValueOutputs.WriteDotenv(dotenvFile, images.SelectMany(image => DotenvPairs(image).Select(pair => new KeyValuePair<string, string>($"{VariableName(NameOf(image))}_{pair.Key}", pair.Value))));
        }

        if (environment.Read("GITHUB_OUTPUT") is { } output)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            var map = new StringBuilder("{");
            foreach (var image in images)
            {
                var name = NameOf(image);
                pairs.Add(new($"{name}-tag", image.Tag));
                pairs.Add(new($"{name}-digest", image.Digest));
                pairs.Add(new($"{name}-reference", image.Reference));
                map.Append(map.Length > 1 ? "," : "").Append(Json(name)).Append(":{\"tag\":").Append(Json(image.Tag))
                    .Append(",\"digest\":").Append(Json(image.Digest)).Append(",\"reference\":").Append(Json(image.Reference)).Append('}');
            }

            pairs.Add(new("images", map.Append('}').ToString()));
            if (recordFile is not null && recordPath is not null)
            {
                pairs.Add(new("record", recordPath));
            }

            KeyValueOutputs.AppendToFile(output, KeyValueOutputs.FormatGitHub(pairs));
        }

        if (environment.Read("GITHUB_STEP_SUMMARY") is { } summary)
        {
            KeyValueOutputs.AppendToFile(summary, string.Concat(images.Select(Summary)));
        }
    }

    private static string NameOf(ImageRecord image) => image.Name ?? image.Repository[(image.Repository.LastIndexOf('/') + 1)..];

    private static string VariableName(string name) =>
        new([.. name.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value, OutputJsonContext.Default.String);

    /// <summary>The dotenv pairs for <paramref name="image"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> DotenvPairs(ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return [new("IMAGE_TAG", image.Tag), new("IMAGE_DIGEST", image.Digest), new("IMAGE_REF", image.Reference)];
    }

    /// <summary>Writes the dotenv file atomically.</summary>
    public static void WriteDotenv(string path, ImageRecord image) => KeyValueOutputs.WriteDotenv(path, DotenvPairs(image));

    /// <summary>Appends outputs and a summary for GitHub Actions, when its variables are set; returns what it wrote to.</summary>
    public static IReadOnlyList<string> WriteGitHub(IEnvironmentVariables environment, ImageRecord image, string? recordPath)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(image);
        var written = new List<string>();
        if (environment.Read("GITHUB_OUTPUT") is { } output)
        {
            List<KeyValuePair<string, string>> pairs = [new("tag", image.Tag), new("digest", image.Digest), new("reference", image.Reference)];
            if (recordPath is not null)
            {
                pairs.Add(new("record", recordPath));
            }

            KeyValueOutputs.AppendToFile(output, KeyValueOutputs.FormatGitHub(pairs));
            written.Add(output);
        }

        if (environment.Read("GITHUB_STEP_SUMMARY") is { } summary)
        {
            KeyValueOutputs.AppendToFile(summary, Summary(image));
            written.Add(summary);
        }

        return written;
    }

    /// <summary>A Markdown table describing <paramref name="image"/>.</summary>
    public static string Summary(ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var builder = new StringBuilder();
        builder.Append("### Released ").Append(image.Repository).Append('\n').Append('\n');
        builder.Append("| | |\n|---|---|\n");
        builder.Append("| Tag | `").Append(image.Tag).Append("` |\n");
        builder.Append("| Digest | `").Append(image.Digest).Append("` |\n");
        builder.Append("| Reference | `").Append(image.Reference).Append("` |\n");
        builder.Append("| Commit | `").Append(image.Git.Commit).Append('`').Append(image.Git.Dirty ? " (dirty)" : "").Append(" |\n");
        return builder.ToString();
    }
}

/// <summary>Source-generated JSON for the outputs' strings.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class OutputJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
