using System.CommandLine;
using System.Globalization;
using TagForge.Errors;
using TagForge.Tagging;

namespace TagForge.Cli.Commands;

/// <summary>The options that decide a tag, shared by every command that makes one (tag, build, release).</summary>
internal sealed class TagOptions
{
    public Option<string?> Template { get; } = new("--template", "-t")
    {
        Description = $"Tag template, e.g. 'v.{{sha:8}}_{{time:yyyyMMddHHmm}}-{{build}}' (default: {TagPresets.Default})",
    };

    public Option<string?> Preset { get; } = new("--preset")
    {
        Description = $"Named template: {string.Join(", ", TagPresets.All.Keys)}",
    };

    public Option<string?> Repository { get; } = new("--repo")
    {
        Description = "A directory inside the git repository (default: the current directory)",
    };

    public Option<string?> BuildNumber { get; } = new("--build-number")
    {
        Description = "Build number for {build} (default: the CI system's; 'local' outside CI)",
    };

    public Option<string?> Time { get; } = new("--time")
    {
        Description = "Build time for {time}, ISO 8601 (default: SOURCE_DATE_EPOCH, else now); always rendered in UTC",
    };

    public Option<string> Dirty { get; } = new("--dirty")
    {
        Description = "When tracked files have uncommitted changes: suffix (append -dirty), fail (exit 3) or ignore",
        DefaultValueFactory = _ => "suffix",
    };

    public TagOptions() => Dirty.AcceptOnlyFromAmong("suffix", "fail", "ignore");

    public void AddTo(Command command)
    {
        command.Add(Template);
        command.Add(Preset);
        command.Add(Repository);
        command.Add(BuildNumber);
        command.Add(Time);
        command.Add(Dirty);
    }

    public TagRequest ToRequest(ParseResult parseResult) => new()
    {
        Template = parseResult.GetValue(Template),
        Preset = parseResult.GetValue(Preset),
        RepositoryPath = parseResult.GetValue(Repository),
        BuildNumber = parseResult.GetValue(BuildNumber),
        Time = ParseTime(parseResult.GetValue(Time)),
        Dirty = parseResult.GetValue(Dirty) switch
        {
            "fail" => DirtyMode.Fail,
            "ignore" => DirtyMode.Ignore,
            _ => DirtyMode.Suffix,
        },
    };

    private static DateTimeOffset? ParseTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw new BadInputException($"--time '{text}' is not an ISO 8601 time such as 2026-11-22T18:40:00Z");
    }
}
