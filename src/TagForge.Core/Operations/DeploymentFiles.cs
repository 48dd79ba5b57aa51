using TagForge.Errors;
using TagForge.IO;
using TagForge.Pinning;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary>
/// The per-file machinery of the deployment operations: expanding paths, reading and working on files in
/// parallel with one error per bad file (the others still done), and writing pinned files atomically.
/// </summary>
internal static class DeploymentFiles
{
    /// <summary>
    /// Files in flight at once: more than the cores, because a file read or an atomic write (of a single file, which
    /// waits for its fsync) spends part of its time waiting for the disk.
    /// </summary>
    private static int DefaultParallelism => Math.Max(8, Environment.ProcessorCount * 2);

    /// <summary>Expands the request's paths, reads each file and runs <paramref name="work"/> on it; missing paths are the first errors.</summary>
    /// <remarks>With <paramref name="progress"/>, counts the files done (read and worked on, or failed) out of all.</remarks>
    public static FileBatch<T> ForEach<T>(DeploymentRequest request, TagForgeServices services, Func<DeploymentFile, T> work, CancellationToken cancellationToken, ProgressMeter? progress = null, int? maxWorkers = null)
    {
        if (request.Paths is not { Count: > 0 } paths)
        {
            throw new BadInputException("no deployment files given");
        }

        var files = DeploymentPaths.Expand(paths, services.WorkingDirectory, out var missing);
        progress?.SetTotal(files.Count);
        var batch = ForEach(files, name =>
        {
            try
            {
                return work(Read(name, request.StandardInput, services));
            }
            finally
            {
                progress?.Add(1);
            }
        }, cancellationToken, maxWorkers);
        progress?.Finish();
        return batch with { Errors = [.. missing.Select(ex => ex.Message), .. batch.Errors] };
    }

    /// <summary>
    /// <see cref="ForEach{T}(DeploymentRequest, TagForgeServices, Func{DeploymentFile, T}, CancellationToken, ProgressMeter, int?)"/> for work
    /// that rewrites the files it reads, through the <see cref="AtomicFileBatch"/> it is given: first waits for any
    /// other run rewriting the same tree (<see cref="TreeLock"/>, so concurrent runs take turns instead of reading
    /// each other's half-done work), and at the end makes every write durable with one sync.
    /// </summary>
    /// <remarks><paramref name="maxWorkers"/> (default: more than the cores) bounds the files in flight; the results are in input order whatever it is.</remarks>
    public static FileBatch<T> ForEachWriting<T>(DeploymentRequest request, TagForgeServices services, Func<DeploymentFile, AtomicFileBatch, T> work, CancellationToken cancellationToken, int? maxWorkers = null)
    {
        if (request.Paths is not { Count: > 0 } paths)
        {
            throw new BadInputException("no deployment files given");
        }

        var files = DeploymentPaths.Expand(paths, services.WorkingDirectory, out var missing);
        var root = TreeLock.RootOf(files.Where(name => name != "-").Select(name => services.Resolve(name)!));
        var writes = new AtomicFileBatch();
        FileBatch<T> batch;
        using (root is null ? null : TreeLock.Acquire(root))
        {
            try
            {
                batch = ForEach(files, name => work(Read(name, request.StandardInput, services), writes), cancellationToken, maxWorkers);
            }
            finally
            {
                writes.Sync();
            }
        }

        return batch with { Errors = [.. missing.Select(ex => ex.Message), .. batch.Errors] };
    }

    /// <summary>
    /// Runs <paramref name="work"/> on every item in parallel (at most <paramref name="maxWorkers"/> at once); a
    /// <see cref="BadInputException"/> is that item's error. Results and errors come back in input order, so what a
    /// caller reports does not depend on which item finished first.
    /// </summary>
    public static FileBatch<TOut> ForEach<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, TOut> work, CancellationToken cancellationToken, int? maxWorkers = null)
    {
        var results = new (TOut? Value, string? Error)[items.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxWorkers ?? DefaultParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, items.Count, options, i =>
        {
            try
            {
                results[i] = (work(items[i]), null);
            }
            catch (BadInputException ex)
            {
                results[i] = (default, ex.Message);
            }
        });

        return new FileBatch<TOut>(
            [.. results.Where(result => result.Error is null).Select(result => result.Value!)],
            [.. results.Where(result => result.Error is not null).Select(result => result.Error!)]);
    }

    /// <summary>
    /// What a pinned file becomes: a diff in a dry run, else written in place (only when it changed) or handed back
    /// as output for <c>-</c>; <paramref name="verb"/> ("pinned", "would resolve") starts the note.
    /// </summary>
    public static FileOutcome Apply(PinnedFile pin, bool dryRun, string verb, TagForgeServices services, AtomicFileBatch? writes = null)
    {
        var file = pin.File;
        string? output = null;
        if (dryRun)
        {
            output = UnifiedDiff.Create(file.Name, file.Source.Text, pin.Text);
        }
        else if (file.Name == "-")
        {
            output = (file.Source.HasBom ? "\uFEFF" : "") + pin.Text;
        }
        else if (pin.Changed)
        {
            if (writes is null)
            {
                AtomicFile.WriteAllBytes(services.Resolve(file.Name)!, file.Encode(pin.Text), file.Name);
            }
            else
            {
                writes.WriteAllBytes(services.Resolve(file.Name)!, file.Encode(pin.Text), file.Name);
            }
        }

        return new FileOutcome(file.Name)
        {
            Changes = pin.Changes,
            Output = output,
            Note = pin.Changed && file.Name != "-" ? $"{verb} {Plural.Of(pin.Changes.Count, "image")} in {file.Name}" : null,
        };
    }

    /// <summary>Findings as warning lines (<c>file:line:column: message</c>), for operations whose findings mean something else.</summary>
    public static IEnumerable<string> Warnings(IEnumerable<Finding> findings) =>
        findings.Select(finding => $"{finding.File}:{finding.Line}:{finding.Column}: {finding.Message}");

    private static DeploymentFile Read(string name, byte[]? standardInput, TagForgeServices services) =>
        name != "-" ? DeploymentFile.Read(services.Resolve(name)!, name)
        : standardInput is not null ? DeploymentFile.Parse(name, standardInput)
        : throw new BadInputException("-: there is no standard input here; name the files");
}
