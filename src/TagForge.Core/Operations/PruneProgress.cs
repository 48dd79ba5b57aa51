using Microsoft.Extensions.Logging;

namespace TagForge.Operations;

/// <summary>
/// Progress of a long prune on the logger (stderr in the CLI): a line at most every <see cref="Interval"/>, so a
/// run over thousands of tags shows it is alive and a short run says nothing.
/// </summary>
internal sealed class PruneProgress(ILogger logger, TimeProvider clock)
{
    /// <summary>How often a long run says how far it is.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private DateTimeOffset _last = clock.GetUtcNow();

    /// <summary>Says "<paramref name="what"/>: <paramref name="done"/> of <paramref name="total"/>" when the last line is at least <see cref="Interval"/> old.</summary>
    public void Report(string what, int done, int total)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (now - _last < Interval)
            {
                return;
            }

            _last = now;
        }

        logger.LogInformation("prune: {What}: {Done} of {Total}", what, done, total);
    }
}
