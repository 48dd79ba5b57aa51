using System.CommandLine;
using TagForge.Engine;
using TagForge.Release;

namespace TagForge.Cli.Commands;

/// <summary>The options of a release of several images (<c>images:</c> in tagforge.yml) and of a matrix job (<c>--plan</c>).</summary>
internal sealed class MultiImageOptions
{
    private static readonly string[] Header = ["IMAGE", "REPOSITORY", "TAG", "DIGEST", "OUTCOME"];

    public Option<bool> All { get; } = new("--all") { Description = "Release every image of images: in tagforge.yml, in dependency order" };

    public Option<string[]> Only { get; } = new("--only") { Description = "Release this image of images: (and what it depends on); repeatable", AllowMultipleArgumentsPerToken = false };

    public Option<int?> Jobs { get; } = new("--jobs", "-j") { Description = "How many images build at once (default: the processor count)" };

    public Option<bool> SkipUnchanged { get; } = new("--skip-unchanged") { Description = "Do not build an image whose content tag the registry holds: record its digest as reused" };

    public Option<bool> TagReused { get; } = new("--tag-reused") { Description = "Also put the release's unique tag on a reused digest (off by default: ECR keeps at most 1,000 tags per image)" };

    public Option<string?> ChangedSince { get; } = new("--changed-since") { Description = "Build only the images whose context or Dockerfile changed since this git revision (and their dependants); reuse the others" };

    public Option<string?> Plan { get; } = new("--plan") { Description = "Run one job of a plan written by tagforge plan (with --image NAME and --platform)" };

    public void AddTo(Command command, bool withPlan)
    {
        command.Add(All);
        command.Add(Only);
        command.Add(Jobs);
        command.Add(SkipUnchanged);
        command.Add(TagReused);
        command.Add(ChangedSince);
        if (withPlan)
        {
            command.Add(Plan);
        }
    }

    /// <summary>True when the command line asks for images: (<c>--all</c> or <c>--only</c>).</summary>
    public bool Selected(ParseResult parseResult) => parseResult.GetValue(All) || (parseResult.GetValue(Only) ?? []).Length > 0;

    public MonorepoRequest ToRequest(ParseResult parseResult, ReleaseRequest release)
    {
        if (parseResult.GetValue(All) && (parseResult.GetValue(Only) ?? []).Length > 0)
        {
            throw new Errors.BadInputException("--all and --only do not go together: --only already releases what it names");
        }

        return new MonorepoRequest
        {
            Release = release,
            Only = parseResult.GetValue(Only) ?? [],
            Jobs = parseResult.GetValue(Jobs),
            SkipUnchanged = parseResult.GetValue(SkipUnchanged),
            TagReused = parseResult.GetValue(TagReused),
            ChangedSince = parseResult.GetValue(ChangedSince),
        };
    }

    /// <summary>Prints one line per image: name, repository, tag, digest, outcome; the failures' reasons follow.</summary>
    public static void PrintSummary(TextWriter output, MonorepoResult result)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(result.Images.Select(image => new[]
        {
            image.Name, image.Repository, image.Tag ?? "-", image.Digest ?? "-", image.Kind.ToString().ToLowerInvariant(),
        }));
        var widths = Enumerable.Range(0, 5).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => column == 4 ? cell : cell.PadRight(widths[column]))));
        }

        foreach (var image in result.Images.Where(image => image.Message is not null))
        {
            output.WriteLine($"{image.Name}: {image.Message}");
        }
    }
}
