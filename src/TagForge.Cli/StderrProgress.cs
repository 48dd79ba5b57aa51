using System.Globalization;
using TagForge.IO;
using TagForge.Registry;

namespace TagForge.Cli;

/// <summary>
/// Progress reports as lines on stderr with the <c>tagforge:</c> prefix, never on stdout (which holds the result):
/// <c>tagforge: copying to host/prod/app: 12.0 MiB of 50.0 MiB (24%), 3 of 7 blobs, 4.1 MiB/s</c>. Plain lines, one per
/// report, so CI logs read the same as a terminal.
/// </summary>
internal sealed class StderrProgress(TextWriter error) : IProgress<ProgressUpdate>
{
    public void Report(ProgressUpdate value)
    {
        ArgumentNullException.ThrowIfNull(value);
        error.WriteLine($"{CliApp.Prefix} {Format(value)}");
    }

    /// <summary>The line for <paramref name="update"/>, without the prefix.</summary>
    public static string Format(ProgressUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var parts = new List<string>();
        var amount = update.Unit == ProgressUnit.Bytes
            ? ImageCopier.FormatSize(update.Done) + (update.Total is { } total ? " of " + ImageCopier.FormatSize(total) : "")
            : Count(update.Done) + (update.Total is { } all ? " of " + Count(all) : "") + " " + UnitName(update.Unit);
        parts.Add(amount + (update.Percent is { } percent ? string.Create(CultureInfo.InvariantCulture, $" ({percent}%)") : ""));
        if (update.Unit == ProgressUnit.Bytes && update.Items is { } items)
        {
            parts.Add(Count(items) + (update.ItemsTotal is { } itemsTotal ? " of " + Count(itemsTotal) : "") + " blobs");
        }

        if (update.RatePerSecond is { } rate)
        {
            parts.Add(update.Unit == ProgressUnit.Bytes
                ? ImageCopier.FormatSize((long)rate) + "/s"
                : string.Create(CultureInfo.InvariantCulture, $"{rate:0.#}/s"));
        }

        if (update.Subject is { } subject)
        {
            parts.Add($"{subject} {update.State}".TrimEnd());
        }

        return $"{update.Activity}: {string.Join(", ", parts)}{(update.Finished ? ", done" : "")}";
    }

    private static string UnitName(ProgressUnit unit) => unit switch
    {
        ProgressUnit.Files => "files",
        ProgressUnit.Images => "images",
        _ => "references",
    };

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
