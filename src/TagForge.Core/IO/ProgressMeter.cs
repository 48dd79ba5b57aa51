namespace TagForge.IO;

/// <summary>
/// Counts one long activity and reports it to a sink, neither too often nor too rarely. An activity that ends within
/// 2 s reports nothing (a short run stays quiet); after that it reports when another 10 % is done, when 2 s passed
/// since the last report (also while nothing moves: a heartbeat, so a CI job that kills silent steps sees it alive),
/// and once at the end. Without a sink every call is a no-op. Thread-safe: parallel transfers count into one meter.
/// </summary>
public sealed class ProgressMeter : IDisposable
{
    /// <summary>The longest silence between two reports.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private const int StepPercent = 10;

    private readonly IProgress<ProgressUpdate>? _sink;
    private readonly TimeProvider _clock;
    private readonly string _activity;
    private readonly ProgressUnit _unit;
    private readonly DateTimeOffset _started;
    private readonly Lock _lock = new();
    private readonly ITimer? _heartbeat;
    private long _done;
    private long? _total;
    private int _items;
    private int? _itemsTotal;
    private DateTimeOffset _lastReport;
    private bool _reporting;
    private int _lastPercentStep = -1;
    private bool _finished;

    /// <summary>Starts a meter for <paramref name="activity"/>; reports go to <paramref name="sink"/> (none when null).</summary>
    public ProgressMeter(IProgress<ProgressUpdate>? sink, TimeProvider clock, string activity, ProgressUnit unit, long? total = null, int? itemsTotal = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(activity);
        _sink = sink;
        _clock = clock;
        _activity = activity;
        _unit = unit;
        _total = total;
        _itemsTotal = itemsTotal;
        _started = clock.GetUtcNow();
        _lastReport = _started;
        if (sink is not null)
        {
            _heartbeat = clock.CreateTimer(_ => Beat(), null, Interval, Interval);
        }
    }

    /// <summary>True when reports go somewhere (callers may skip work that only feeds the meter).</summary>
    public bool IsActive => _sink is not null;

    /// <summary>Sets the totals once they are known (after a plan).</summary>
    public void SetTotal(long total, int? itemsTotal = null)
    {
        lock (_lock)
        {
            _total = total;
            _itemsTotal = itemsTotal ?? _itemsTotal;
        }
    }

    /// <summary>Counts <paramref name="amount"/> more done (bytes, files, references).</summary>
    public void Add(long amount)
    {
        if (_sink is null)
        {
            return;
        }

        Interlocked.Add(ref _done, amount);
        MaybeReport();
    }

    /// <summary>Counts one whole item (a blob) done; with <paramref name="amount"/> also counted as done when not counted already.</summary>
    public void ItemDone(long amount = 0)
    {
        if (_sink is null)
        {
            return;
        }

        Interlocked.Add(ref _done, amount);
        Interlocked.Increment(ref _items);
        MaybeReport();
    }

    /// <summary>The last report: everything is done.</summary>
    public void Finish()
    {
        if (_sink is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            _reporting |= _clock.GetUtcNow() - _started >= Interval;
        }

        _heartbeat?.Dispose();
        if (_reporting)
        {
            Report(finished: true);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _heartbeat?.Dispose();

    private void MaybeReport()
    {
        var now = _clock.GetUtcNow();
        bool due;
        lock (_lock)
        {
            var step = _total is > 0 ? (int)(Math.Min(Interlocked.Read(ref _done), _total.Value) * 100 / _total.Value / StepPercent) : -1;
            var silence = now - _lastReport >= Interval;
            _reporting |= now - _started >= Interval;
            due = _reporting && (step > _lastPercentStep || silence);
            if (_reporting && step > _lastPercentStep)
            {
                _lastPercentStep = step;
            }
        }

        if (due)
        {
            Report(finished: false);
        }
    }

    private void Beat()
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (_finished || now - _lastReport < Interval - TimeSpan.FromMilliseconds(50))
            {
                return;
            }

            _reporting = true;
        }

        Report(finished: false);
    }

    private void Report(bool finished)
    {
        ProgressUpdate update;
        lock (_lock)
        {
            if (_finished && !finished)
            {
                return;
            }

            var now = _clock.GetUtcNow();
            _lastReport = now;
            update = new ProgressUpdate(_activity, _unit, Interlocked.Read(ref _done), _total, now - _started)
            {
                Items = _itemsTotal is null && _unit != ProgressUnit.Bytes ? null : _items,
                ItemsTotal = _itemsTotal,
                Finished = finished,
            };
        }

        _sink!.Report(update);
    }
}
