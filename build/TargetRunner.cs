using System.Diagnostics;
using System.Globalization;

namespace TagForge.Build;

/// <summary>Orders targets by their dependencies and runs each once, like Nuke's executor.</summary>
internal static class TargetRunner
{
    /// <summary>The targets to run for <paramref name="requested"/>, dependencies first; <paramref name="skipDependencies"/> runs only the requested ones.</summary>
    public static IReadOnlyList<Target> Plan(IEnumerable<Target> requested, bool skipDependencies)
    {
        var ordered = new List<Target>();
        var visiting = new HashSet<Target>();
        foreach (var target in requested)
        {
            if (skipDependencies)
            {
                if (!ordered.Contains(target))
                {
                    ordered.Add(target);
                }
            }
            else
            {
                Visit(target);
            }
        }

        return ordered;

        void Visit(Target target)
        {
            if (ordered.Contains(target))
            {
                return;
            }

            if (!visiting.Add(target))
            {
                throw new InvalidOperationException($"target {target.Name} depends on itself");
            }

            foreach (var dependency in target.Dependencies)
            {
                Visit(dependency);
            }

            visiting.Remove(target);
            ordered.Add(target);
        }
    }

    /// <summary>Runs the plan; returns false at the first failure (already reported).</summary>
    public static bool Run(IReadOnlyList<Target> plan, TextWriter log)
    {
        var timings = new List<(string Name, TimeSpan Time, string Outcome)>();
        var failed = false;
        foreach (var target in plan)
        {
            if (failed)
            {
                timings.Add((target.Name, TimeSpan.Zero, "not run"));
                continue;
            }

            log.WriteLine();
            log.WriteLine($"═══ {target.Name} ═══");
            var stopwatch = Stopwatch.StartNew();
            try
            {
                target.Action();
                timings.Add((target.Name, stopwatch.Elapsed, "ok"));
            }
            catch (BuildFailedException ex)
            {
                log.WriteLine($"build: {target.Name} failed: {ex.Message}");
                timings.Add((target.Name, stopwatch.Elapsed, "FAILED"));
                failed = true;
            }
            catch (Errors.TagForgeException ex)
            {
                log.WriteLine($"build: {target.Name} failed: {ex.Message}");
                timings.Add((target.Name, stopwatch.Elapsed, "FAILED"));
                failed = true;
            }
        }

        log.WriteLine();
        log.WriteLine("═══ summary ═══");
        foreach (var (name, time, outcome) in timings)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-12} {outcome,-8} {time.TotalSeconds,7:0.0} s"));
        }

        return !failed;
    }
}

/// <summary>A build step failed; its message says which command and why.</summary>
internal sealed class BuildFailedException(string message) : Exception(message);
