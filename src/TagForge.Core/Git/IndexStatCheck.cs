namespace TagForge.Git;

/// <summary>
/// A fast, conservative "is the tree clean?" for the common case, answered from the git index alone: every entry's
/// recorded size, mtime and executable bit still match the file (one stat per tracked file, no directory walk, no
/// ignore rules), and the index's cached root tree is HEAD's tree. Where the stat cannot decide (a touched file of
/// the same size, a racily-clean entry such as every file of a fresh clone), the file's blob hash is compared with
/// the entry's, as git does. It only ever answers <see langword="true"/> when that proves the tree clean; anything
/// it does not fully understand (a split or sparse index, which <see cref="GitIndex"/> does not read; symlinks, a stale cache-tree, a size or hash
/// mismatch, which checkout filters also cause) answers <see langword="null"/> and the caller asks libgit2's full
/// status. libgit2's status walks every directory and loads ignore rules even with untracked files off, which
/// made the dirty check cost more than the rest of <c>tagforge tag</c>; git itself answers from the index like this.
/// </summary>
internal static class IndexStatCheck
{
    private const int ParallelThreshold = 1000;
    private const int HashChunk = 1 << 16;
    private const long ParallelHashBytes = 256 << 10; // enough re-reading (a fresh clone) to pay for the thread pool

    /// <summary>True when the index proves the working tree matches <paramref name="headTreeSha"/>; otherwise null.</summary>
    public static bool? IsClean(string gitDirectory, string workingDirectory, string headTreeSha)
    {
        try
        {
            var index = GitIndex.Read(gitDirectory);
            return index is not null && Check(index, workingDirectory, headTreeSha) ? true : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static bool Check(GitIndex index, string workingDirectory, string headTreeSha)
    {
        if (index.RootTree != headTreeSha)
        {
            return false;
        }

        var files = new List<IndexedFile>(index.Entries.Length);
        long racyBytes = 0;
        foreach (ref readonly var entry in index.Entries)
        {
            if (entry.IntentToAdd || entry.Stage != 0)
            {
                return false; // intent-to-add or an unmerged stage: not clean, or not something to judge here.
            }

            if (entry.IsGitlink || entry.AssumeValid || entry.SkipWorktree)
            {
                continue; // submodules are excluded; assume-unchanged and skip-worktree entries are not compared by git either.
            }

            if (!entry.IsRegularFile)
            {
                return false; // symlinks: left to libgit2.
            }

            // Racily clean (see GitIndex.IsRacy): git re-reads those, and so do we. A fresh clone writes its files
            // before its index, in the same second but not the same instant, and comparing seconds alone re-read
            // every file of every CI clone.
            var racy = index.IsRacy(entry);
            racyBytes += racy ? entry.Size : 0;
            files.Add(new IndexedFile(Path.Combine(workingDirectory, entry.Path), entry, racy, index.ObjectId(entry).ToArray()));
        }

        // One stat per file; like git's preloaded index, large indexes (or much re-reading) are checked on every core.
        if (files.Count < ParallelThreshold && racyBytes < ParallelHashBytes)
        {
            return files.TrueForAll(Unchanged);
        }

        var changed = 0;
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, files.Count, Math.Max(files.Count / Environment.ProcessorCount / 4, 1)),
            (range, state) =>
            {
                for (var i = range.Item1; i < range.Item2 && Volatile.Read(ref changed) == 0; i++)
                {
                    if (!Unchanged(files[i]))
                    {
                        Interlocked.Exchange(ref changed, 1);
                        state.Stop();
                    }
                }
            });
        return changed == 0;
    }

    private static bool Unchanged(IndexedFile indexed)
    {
        var entry = indexed.Entry;
        if (!FileStat.TryGet(indexed.Path, out var stat) || !stat.IsRegularFile || (uint)stat.Size != entry.Size
            || ((stat.Mode & 0x40) != 0) != entry.IsExecutable)
        {
            return false; // a chmod +x is a change to git (core.fileMode); where it is off, libgit2 decides.
        }

        var statMatches = (uint)stat.MtimeSeconds == entry.MtimeSeconds && stat.MtimeNanoseconds / 100 == entry.MtimeNanoseconds / 100;
        // Same size but touched, or racily clean: the content decides, as in git. A checkout filter (CRLF, LFS)
        // makes the hashes differ, and then libgit2, which knows the filters, decides.
        return (statMatches && !indexed.Racy) || ContentIs(indexed.Path, stat.Size, indexed.ObjectId);
    }

    /// <summary>True when the file hashes to <paramref name="objectId"/> as a git blob: SHA-1 of "blob SIZE\0" and the bytes.</summary>
    private static bool ContentIs(string path, long length, byte[] objectId)
    {
        try
        {
            Span<byte> hash = stackalloc byte[GitIndex.ObjectIdLength];
            return HashBlob(path, length, hash) && hash.SequenceEqual(objectId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // gone or unreadable since the stat: not provably clean
        }
    }

    /// <summary>Hashes the file as a git blob into <paramref name="hash"/>; false when its length changed meanwhile.</summary>
    private static bool HashBlob(string path, long length, Span<byte> hash)
    {
        // One hasher and buffer per thread: a fresh clone hashes every file, and per-file allocations were most
        // of that cost. The buffer holds a small file and one byte more, so one read both reads it and shows
        // that it ends where the index says (a short read of a regular file is its end).
        var sha1 = t_hasher ??= new BlobHasher();
        var buffer = t_buffer ??= new byte[HashChunk];
        sha1.StartBlob(length);
        using var file = File.OpenHandle(path);
        long offset = 0;
        while (true)
        {
            var wanted = (int)Math.Min(buffer.Length, length - offset + 1);
            var read = RandomAccess.Read(file, buffer.AsSpan(0, wanted), offset);
            if (read == 0)
            {
                break;
            }

            offset += read;
            if (offset > length)
            {
                return false; // grew since the stat
            }

            sha1.Append(buffer.AsSpan(0, read));
            if (read < wanted)
            {
                break;
            }
        }

        sha1.Finish(hash);
        return offset == length;
    }

    [ThreadStatic]
    private static BlobHasher? t_hasher;

    [ThreadStatic]
    private static byte[]? t_buffer;

    private readonly record struct IndexedFile(string Path, GitIndexEntry Entry, bool Racy, byte[] ObjectId);
}
