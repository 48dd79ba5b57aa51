using System.Globalization;
using System.Text.RegularExpressions;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Tagging;

namespace TagForge.Release;

/// <summary>
/// <c>{seq}</c>: the next integer after the highest one the registry holds for the template. The template is
/// rendered once with a sentinel number (every other placeholder gets its real value, the time is then pinned), the
/// sentinel becomes <c>(\d+)</c> in a pattern, and the registry's tags that match it give the highest number.
/// </summary>
public static class SequenceTags
{
    private const long Sentinel = 918_273_645_546_372_819;

    /// <summary>True when the request's template uses <c>{seq}</c>.</summary>
    public static bool Uses(TagRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Template is not null && request.Preset is not null)
        {
            return false; // TagGenerator reports the conflict.
        }

        return TagTemplate.Parse(request.Template ?? (request.Preset is { } preset ? TagPresets.Get(preset) : TagPresets.Default)).Uses(PlaceholderKind.Seq);
    }

    /// <summary>The request with its time pinned, and the pattern that tags of this template match.</summary>
    public static (TagRequest Request, Regex Pattern) Prepare(TagRequest request, IEnvironmentVariables? environment = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var probe = TagGenerator.Generate(request with { Sequence = Sentinel }, environment, clock);
        var parts = probe.Tag.Split(Sentinel.ToString(CultureInfo.InvariantCulture));
        if (parts.Length < 2)
        {
            throw new BadInputException($"the template '{probe.Template}' leaves no room for {{seq}} in a 128-character tag; shorten it");
        }

        var pattern = new Regex("^" + string.Join(@"(\d{1,18})", parts.Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);
        return (request with { Time = probe.Time }, pattern);
    }

    /// <summary>
    /// The tag with every placeholder but <c>{seq}</c> rendered, and <c>{seq}</c> left in it: a plan's tag for a
    /// template the registry numbers at push time (a rendered tag holds no braces, so the one left is unambiguous).
    /// </summary>
    public static TagResult Pending(TagRequest request, IEnvironmentVariables? environment = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var probe = TagGenerator.Generate(request with { Sequence = Sentinel }, environment, clock);
        var sentinel = Sentinel.ToString(CultureInfo.InvariantCulture);
        return probe.Tag.Contains(sentinel, StringComparison.Ordinal)
            ? probe with { Tag = probe.Tag.Replace(sentinel, "{seq}", StringComparison.Ordinal) }
            : throw new BadInputException($"the template '{probe.Template}' leaves no room for {{seq}} in a 128-character tag; shorten it");
    }

    /// <summary>The number after the highest one among <paramref name="tags"/> that match <paramref name="pattern"/>; 1 when none do.</summary>
    public static long Next(Regex pattern, IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(tags);
        long highest = 0;
        foreach (var tag in tags)
        {
            if (pattern.Match(tag) is { Success: true } match && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                highest = Math.Max(highest, number);
            }
        }

        return highest + 1;
    }
}
