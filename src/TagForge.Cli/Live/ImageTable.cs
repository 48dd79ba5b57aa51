using System.Globalization;
using System.Text;

namespace TagForge.Cli.Live;

/// <summary>
/// The live table of <c>release --all</c> as text, a pure function of the rows, the terminal's size and the time: one
/// line per image (name, state, time since its work started, its last line), each cut to fit the width so no line
/// wraps (a wrapped line would break redrawing in place). With more images than the terminal has lines, the images at
/// work and the failed ones come first and one line counts the rest.
/// </summary>
internal static class ImageTable
{
    private const int StateWidth = 8;

    /// <summary>The table's lines for a terminal <paramref name="width"/> columns wide and <paramref name="height"/> lines high.</summary>
    public static IReadOnlyList<string> Render(IReadOnlyList<ImageRow> rows, int width, int height, DateTimeOffset now, bool color)
    {
        ArgumentNullException.ThrowIfNull(rows);
        width = Math.Max(width, 20);
        var room = Math.Max(height - 1, 2);
        var shown = rows.Count <= room ? rows : Shown(rows, room - 1);
        var nameWidth = Math.Min(rows.Count == 0 ? 0 : rows.Max(row => row.Name.Length), width / 3);
        var lines = shown.Select(row => Line(row, nameWidth, width, now, color)).ToList();
        if (shown.Count < rows.Count)
        {
            var rest = rows.Except(shown).GroupBy(row => row.State).OrderBy(group => group.Key)
                .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Count()} {ImageRow.Spell(group.Key)}"));
            lines.Add(Fit($"… {rows.Count - shown.Count} more: {string.Join(", ", rest)}", width));
        }

        return lines;
    }

    /// <summary>
    /// What stays on the terminal at the end: the table once more, then the last lines of each failed image (named as in
    /// CI logs, <c>[api] …</c>), so its error is not lost with the live view.
    /// </summary>
    public static IReadOnlyList<string> Final(IReadOnlyList<ImageRow> rows, Func<string, IReadOnlyList<string>> tail, int width, DateTimeOffset now, bool color)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(tail);
        var lines = Render(rows, width, int.MaxValue, now, color).ToList();
        foreach (var row in rows.Where(row => row.State == ImageState.Failed))
        {
            var last = tail(row.Name);
            if (last.Count == 0)
            {
                continue;
            }

            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{CliApp.Prefix} [{row.Name}] failed; its last {last.Count} lines:"));
            lines.AddRange(last.Select(line => $"[{row.Name}] {line}"));
        }

        return lines;
    }

    /// <summary>Whole seconds as <c>m:ss</c>, or <c>h:mm:ss</c> from an hour on.</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        var seconds = (long)Math.Max(0, elapsed.TotalSeconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }

    /// <summary><paramref name="line"/> as one line of plain text: terminal escape sequences and control characters removed.</summary>
    public static string Clean(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\u001b')
            {
                // CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \, a window title) or a two-character escape: none is text.
                if (i + 1 < line.Length && line[i + 1] == '[')
                {
                    i += 2;
                    while (i < line.Length && line[i] is < '@' or > '~')
                    {
                        i++;
                    }
                }
                else if (i + 1 < line.Length && line[i + 1] == ']')
                {
                    i += 2;
                    while (i < line.Length && line[i] != '\u0007' && !(line[i] == '\\' && line[i - 1] == '\u001b'))
                    {
                        i++;
                    }
                }
                else
                {
                    i++;
                }
            }
            else if (c == '\t')
            {
                text.Append(' ');
            }
            else if (!char.IsControl(c))
            {
                text.Append(c);
            }
        }

        return text.ToString().Trim();
    }

    /// <summary><paramref name="text"/> cut to fewer than <paramref name="width"/> columns (the last column stays free), ending in … when cut.</summary>
    public static string Fit(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var room = Math.Max(width - 1, 1);
        return text.Length <= room ? text : text[..(room - 1)] + "…";
    }

    private static string Line(ImageRow row, int nameWidth, int width, DateTimeOffset now, bool color)
    {
        var name = row.Name.Length > nameWidth ? row.Name[..Math.Max(nameWidth - 1, 0)] + "…" : row.Name.PadRight(nameWidth);
        var state = ImageRow.Spell(row.State);
        var time = row.Started is { } started ? Elapsed((row.Settled ?? now) - started) : "";
        var plain = $"{name}  {state.PadRight(StateWidth)}  {time,7}  {Clean(row.LastLine ?? "")}";
        var line = Fit(plain.TrimEnd(), width);
        var stateAt = name.Length + 2;
        return color && line.Length >= stateAt + state.Length
            ? line[..stateAt] + Paint(row.State, state) + line[(stateAt + state.Length)..]
            : line;
    }

    /// <summary>The state in its colour: green done, red failed, yellow skipped, bold at work, dim waiting.</summary>
    private static string Paint(ImageState state, string text) => state switch
    {
        ImageState.Built or ImageState.Reused => $"\u001b[32m{text}\u001b[0m",
        ImageState.Failed => $"\u001b[31m{text}\u001b[0m",
        ImageState.Skipped => $"\u001b[33m{text}\u001b[0m",
        ImageState.Building or ImageState.Pushing => $"\u001b[1m{text}\u001b[0m",
        _ => $"\u001b[2m{text}\u001b[0m",
    };

    /// <summary>The <paramref name="count"/> rows a short terminal shows: at work first, then failed, then the rest, in table order.</summary>
    private static List<ImageRow> Shown(IReadOnlyList<ImageRow> rows, int count)
    {
        var chosen = rows.OrderBy(row => row.State switch
        {
            ImageState.Building or ImageState.Pushing => 0,
            ImageState.Failed => 1,
            ImageState.Waiting => 2,
            _ => 3,
        }).Take(Math.Max(count, 1)).ToHashSet();
        return [.. rows.Where(chosen.Contains)];
    }
}
