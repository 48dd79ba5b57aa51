namespace TagForge.Cli.Live;

/// <summary>
/// What the live table knows, fed from several threads: each image's state (the executor's reports), the time its
/// work started and settled, and its last <see cref="TailLength"/> lines (docker's and TagForge's, for a failure's
/// context at the end). Rows keep the order the executor first named the images in (the plan's dependency order).
/// </summary>
internal sealed class ImageBoard
{
    /// <summary>How many of an image's last lines are kept, and printed after the table when it failed.</summary>
    public const int TailLength = 20;

    private readonly Lock _lock = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> is an image of the table.</summary>
    public bool Has(string name)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(name);
        }
    }

    /// <summary>Sets <paramref name="name"/>'s state (adding the image when new); a settled image keeps its state.</summary>
    public void Set(string name, ImageState state, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                entry = new Entry();
                _entries[name] = entry;
                _order.Add(name);
            }

            if (entry.State >= ImageState.Built)
            {
                return;
            }

            entry.State = state;
            if (state != ImageState.Waiting)
            {
                entry.Started ??= state >= ImageState.Built ? null : now;
            }

            if (state >= ImageState.Built && entry.Started is not null)
            {
                entry.Settled = now;
            }
        }
    }

    /// <summary>Moves a building image to <paramref name="phase"/> (building or pushing); any other state stays.</summary>
    public void Phase(string name, ImageState phase)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(name, out var entry) && entry.State is ImageState.Building or ImageState.Pushing)
            {
                entry.State = phase;
            }
        }
    }

    /// <summary>One more line of <paramref name="name"/>'s work: its last line now, and kept in its tail (blank lines are not).</summary>
    public void Line(string name, string line)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(name, out var entry) || ImageTable.Clean(line).Length == 0)
            {
                return;
            }

            entry.Tail.Enqueue(line);
            while (entry.Tail.Count > TailLength)
            {
                entry.Tail.Dequeue();
            }
        }
    }

    /// <summary>Every image's row, in order.</summary>
    public IReadOnlyList<ImageRow> Rows()
    {
        lock (_lock)
        {
            return [.. _order.Select(name => _entries[name]).Select((entry, index) =>
                new ImageRow(_order[index], entry.State, entry.Started, entry.Settled, entry.Tail.LastOrDefault()))];
        }
    }

    /// <summary>The last lines of <paramref name="name"/>'s work, oldest first.</summary>
    public IReadOnlyList<string> Tail(string name)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(name, out var entry) ? [.. entry.Tail] : [];
        }
    }

    private sealed class Entry
    {
        public ImageState State { get; set; }

        public DateTimeOffset? Started { get; set; }

        public DateTimeOffset? Settled { get; set; }

        public Queue<string> Tail { get; } = new();
    }
}
