using System.Text;
using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Records;

/// <summary>
/// Writes name/value pairs in the shapes deploy steps read: a dotenv file (<c>IMAGE_TAG=…</c>, what the article's
/// <c>IMAGE.TAG</c> file held) and GitHub Actions' <c>$GITHUB_OUTPUT</c> / <c>$GITHUB_ENV</c> files.
/// </summary>
public static class KeyValueOutputs
{
    /// <summary>Formats pairs as dotenv lines, quoting values that a shell or a dotenv parser would otherwise split.</summary>
    public static string FormatDotenv(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            CheckName(name);
            builder.Append(name).Append('=').Append(QuoteForDotenv(value)).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Formats pairs for <c>$GITHUB_OUTPUT</c>: <c>name=value</c>, or a heredoc when the value has a newline.</summary>
    public static string FormatGitHub(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                var delimiter = $"TAGFORGE_{Guid.NewGuid():N}";
                builder.Append(name).Append("<<").Append(delimiter).Append('\n').Append(value).Append('\n').Append(delimiter).Append('\n');
            }
            else
            {
                builder.Append(name).Append('=').Append(value).Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>Appends to a file GitHub Actions reads after the step (other steps' lines must stay, so this appends).</summary>
    public static void AppendToFile(string path, string text)
    {
        try
        {
            File.AppendAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot append to {path}: {ex.Message}", ex);
        }
    }

    /// <summary>Writes a whole dotenv file atomically.</summary>
    public static void WriteDotenv(string path, IEnumerable<KeyValuePair<string, string>> pairs) => AtomicFile.WriteAllText(path, FormatDotenv(pairs));

    private static void CheckName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new BadInputException($"'{name}' is not a valid variable name (letters, digits and '_', not starting with a digit)");
        }
    }

    private static string QuoteForDotenv(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':' or '/' or '@' or '+' or ',')
            ? value
            : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
