using System.Text;
using TagForge.IO;

namespace TagForge.Records;

/// <summary>
/// The small outputs a release leaves for the next step: a dotenv file (<c>IMAGE_TAG</c>, <c>IMAGE_DIGEST</c>,
/// <c>IMAGE_REF</c>), GitHub Actions outputs (<c>tag</c>, <c>digest</c>, <c>reference</c>, <c>record</c>) and a step
/// summary table when <c>GITHUB_OUTPUT</c> / <c>GITHUB_STEP_SUMMARY</c> are set.
/// </summary>
public static class ReleaseOutputs
{
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
