using Microsoft.Extensions.Logging;
using TagForge.IO;

namespace TagForge.Cli.Live;

/// <summary>
/// <c>release --all</c> on a terminal: instead of the interleaved lines of parallel builds, one row per image redrawn in
/// place (cursor up, clear to the end of the screen), at most every <see cref="RefreshInterval"/>. It receives the
/// executor's per-image states (as progress), the logger's lines and docker's output; a line of an image's work
/// becomes that image's last line, anything else (the planner's lines, warnings, errors) is printed above the table.
/// It comes alive at the first state report of a release of more than one image; until then, and for one image, every
/// line is written as it would be without it. At the end it leaves the final table and each failed image's last lines.
/// </summary>
internal sealed class LiveTable : IProgress<ProgressUpdate>, IDisposable
{
    /// <summary>The shortest time between two redraws.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The message templates of the release step that say which phase a building image is in.</summary>
    private static readonly Dictionary<string, ImageState> Phases = new(StringComparer.Ordinal)
    {
        ["building {Image}"] = ImageState.Building,
        ["building {Image} for {Platform}"] = ImageState.Building,
        ["pushing {Image}"] = ImageState.Pushing,
    };

    private readonly TextWriter _error;
    private readonly TimeProvider _clock;
    private readonly Func<(int Width, int Height)> _size;
    private readonly bool _color;
    private readonly Func<string, string> _redact;
    private readonly ImageBoard _board = new();
    private readonly Lock _lock = new();
    private readonly ITimer? _timer;
    private bool _active;
    private bool _completed;
    private bool _dirty;
    private int _drawn;
    private long _drawnSecond = -1;

    /// <summary>
    /// A table on <paramref name="error"/> (the terminal), sized by <paramref name="size"/>; redrawn by a timer every
    /// <paramref name="refresh"/>, or only when <see cref="Refresh"/> is called (tests) when that is null. Lines are
    /// kept <paramref name="redact"/>ed: the table cuts them to the width, and a secret cut in half is no longer found.
    /// </summary>
    public LiveTable(TextWriter error, TimeProvider clock, Func<(int Width, int Height)> size, bool color, TimeSpan? refresh, Func<string, string>? redact = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(size);
        _error = error;
        _clock = clock;
        _size = size;
        _color = color;
        _redact = redact ?? (line => Errors.Redaction.Redact(line));
        if (refresh is { } interval)
        {
            _timer = clock.CreateTimer(_ => RefreshQuietly(), null, interval, interval);
        }
    }

    /// <summary>True while the table is on the screen (a release of several images is running).</summary>
    public bool IsActive
    {
        get
        {
            lock (_lock)
            {
                return _active && !_completed;
            }
        }
    }

    /// <summary>An image's state (the executor's report), or other progress: the current image's last line while alive.</summary>
    public void Report(ProgressUpdate value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var finished = false;
        lock (_lock)
        {
            if (value is { Unit: ProgressUnit.Images, Subject: { } subject } && ImageRow.Parse(value.State) is { } state)
            {
                _board.Set(subject, state, _clock.GetUtcNow());
                _active |= !_completed && value.Total > 1;
                _dirty = true;
                // Every image settled (each was named waiting first): whichever report says so last ends the view.
                finished = value.Total is { } total && _board.Rows().Count(row => row.IsSettled) == total;
            }
            else if (_active && !_completed && OutputScope.Name is { } name && _board.Has(name))
            {
                _board.Line(name, _redact(StderrProgress.Format(value)));
                _dirty = true;
            }
        }

        if (finished)
        {
            Complete();
        }
    }

    /// <summary>
    /// A line of the logger: <paramref name="line"/> is it as written without the table, <paramref name="message"/> its
    /// text alone, <paramref name="template"/> its message template (a step's <c>pushing {Image}</c> marks the push).
    /// </summary>
    public void Log(LogLevel level, string line, string message, string? template)
    {
        lock (_lock)
        {
            if (!_active || _completed)
            {
                _error.WriteLine(line);
                return;
            }

            if (level < LogLevel.Warning && OutputScope.Name is { } name && _board.Has(name))
            {
                _board.Line(name, _redact(message));
                if (template is { } known && Phases.TryGetValue(known, out var phase))
                {
                    _board.Phase(name, phase);
                }

                _dirty = true;
                return;
            }

            Above(line);
        }
    }

    /// <summary>A line of docker's (or another builder's) output.</summary>
    public void Tool(string line)
    {
        lock (_lock)
        {
            if (_active && !_completed && OutputScope.Name is { } name && _board.Has(name))
            {
                _board.Line(name, _redact(line));
                _dirty = true;
            }
            else if (_active && !_completed)
            {
                Above(OutputScope.Prefixed(line));
            }
            else
            {
                _error.WriteLine(OutputScope.Prefixed(line));
            }
        }
    }

    /// <summary>Redraws the table if anything changed or another second passed (the timer's tick).</summary>
    public void Refresh()
    {
        lock (_lock)
        {
            if (!_active || _completed)
            {
                return;
            }

            var now = _clock.GetUtcNow();
            var second = now.ToUnixTimeSeconds();
            if (!_dirty && _drawn > 0 && second == _drawnSecond)
            {
                return;
            }

            var (width, height) = _size();
            Draw(ImageTable.Render(_board.Rows(), width, height, now, _color));
            _drawnSecond = second;
            _dirty = false;
        }
    }

    /// <summary>The timer's tick: a terminal that went away (stderr closed) ends the view, not the release.</summary>
    private void RefreshQuietly()
    {
        try
        {
            Refresh();
        }
        catch (IOException)
        {
            // Nothing left to draw on.
        }
    }

    /// <summary>Replaces the live table with the final one and the failed images' last lines; later lines are written as they come.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _timer?.Dispose();
            if (!_active)
            {
                return;
            }

            var (width, _) = _size();
            Draw(ImageTable.Final(_board.Rows(), _board.Tail, width, _clock.GetUtcNow(), _color));
            _drawn = 0;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Complete();

    /// <summary>Prints <paramref name="line"/> where the table was; the next tick draws the table again below it.</summary>
    private void Above(string line)
    {
        _error.Write(Erase() + line + Environment.NewLine);
        _drawn = 0;
        _dirty = true;
    }

    /// <summary>Writes <paramref name="lines"/> over the table on the screen, in one write (no flicker between erase and draw).</summary>
    private void Draw(IReadOnlyList<string> lines)
    {
        _error.Write(Erase() + string.Concat(lines.Select(line => line + Environment.NewLine)));
        _error.Flush();
        _drawn = lines.Count;
    }

    /// <summary>Back to the table's first line and clear to the end of the screen; nothing when no table is drawn.</summary>
    private string Erase() => _drawn > 0 ? $"\r\u001b[{_drawn}A\u001b[J" : "";
}
