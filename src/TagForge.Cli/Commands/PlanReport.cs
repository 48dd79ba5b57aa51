using System.CommandLine;
using System.Globalization;
using System.Text;
using TagForge.Engine;

namespace TagForge.Cli.Commands;

/// <summary>
/// How <c>release --dry-run</c> prints the engine's plan on the roads of several images or platforms: <c>--format
/// json</c> is the plan file itself (what <c>tagforge plan -o</c> writes), text is the same plan in words. Nothing is
/// run.
/// </summary>
internal static class PlanReport
{
    public static int Print(ParseResult parseResult, ReleaseReport report, ReleasePlanFile plan)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (parseResult.GetValue(report.Format) == "json")
        {
            output.Write(plan.Serialize());
            return 0;
        }

        var text = new StringBuilder("dry run: nothing is built, pushed or written\n");
        text.Append(CultureInfo.InvariantCulture, $"commit    {plan.Commit[..Math.Min(12, plan.Commit.Length)]}{(plan.Dirty ? " (dirty)" : "")}; build {plan.BuildNumber}\n");
        foreach (var image in plan.Images)
        {
            AppendImage(text, image);
        }

        text.Append("record\n");
        text.Append(plan.Record is { } record ? $"  merge the entries into {record}\n" : "  none (--no-record)\n");
        output.Write(text.ToString());
        return 0;
    }

    public static int PrintJob(ParseResult parseResult, ReleaseReport report, PlanSlice slice)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (parseResult.GetValue(report.Format) == "json")
        {
            output.Write(slice.Plan.Serialize());
            return 0;
        }

        var text = new StringBuilder("dry run: nothing is built, pushed or written\n");
        text.Append(CultureInfo.InvariantCulture, $"job       {slice.Entry.Name}{(slice.Platform is null ? "" : " for " + slice.Platform)}\n");
        AppendImage(text, slice.Entry);
        text.Append(slice.Entry.Build
            ? $"push      {slice.Entry.Repository}:{slice.Tag}\nrecord\n  {(slice.RecordPath is { } part ? $"write the partial record {part}" : "none (--no-record)")}\n"
            : "nothing to build: the plan reuses it\n");
        output.Write(text.ToString());
        return 0;
    }

    private static void AppendImage(StringBuilder text, PlannedImageEntry image)
    {
        text.Append(CultureInfo.InvariantCulture, $"image     {image.Name}  {image.Repository}\n");
        text.Append(CultureInfo.InvariantCulture, $"  tag       {image.Tag}\n");
        text.Append(CultureInfo.InvariantCulture, $"  content   {image.ContentHash}\n");
        text.Append(CultureInfo.InvariantCulture, $"  decision  {(image.Build ? "build" : $"reuse {image.Repository}@{image.ReusedDigest}")}: {image.Reason}\n");
        if (image.DependsOn.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  after     {string.Join(", ", image.DependsOn)} (stage {image.Stage})\n");
        }

        if (image.Build)
        {
            text.Append(CultureInfo.InvariantCulture, $"  platforms {(image.Platforms.Count == 0 ? "the engine's own" : string.Join(", ", image.Platforms))}\n");
            if (image.PlatformTags is { Count: > 0 } platformTags)
            {
                text.Append(CultureInfo.InvariantCulture, $"  push      {string.Join(", ", platformTags)}, then the index as {image.Tag}\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"  push      {image.Tag}\n");
            }

            if (image.AdditionalTags.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"  also tag  {string.Join(", ", image.AdditionalTags)}\n");
            }
        }
    }
}
