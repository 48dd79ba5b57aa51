using System.Text;
using TagForge.Values;

namespace TagForge.Tagging;

/// <summary>
/// Turns a free-form value (a branch name, an environment variable) into text that is valid inside a tag and
/// still readable: <c>feature/JIRA-1 Fix</c> → <c>feature-JIRA-1-Fix</c>.
/// </summary>
public static class TagSanitizer
{
    /// <summary>Replaces each run of characters a tag cannot hold with one <c>-</c> and trims <c>-</c> and <c>.</c> from both ends.</summary>
    public static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        var inInvalidRun = false;
        foreach (var c in value)
        {
            if (ImageTag.IsTagCharacter(c))
            {
                builder.Append(c);
                inInvalidRun = false;
            }
            else if (!inInvalidRun)
            {
                builder.Append('-');
                inInvalidRun = true;
            }
        }

        return builder.ToString().Trim('-', '.');
    }
}
