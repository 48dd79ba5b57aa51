namespace TagForge.Git;

/// <summary>
/// What a walk back from HEAD found when it stopped at version tags: the commits it read (none tagged), the tagged
/// commits where it stopped, and whether it met a merge (when it did not and stopped at one tag, the commits read
/// are exactly <c>git rev-list --count TAG..HEAD</c>).
/// </summary>
/// <param name="Walked">Commits reachable from HEAD without passing through a tagged commit.</param>
/// <param name="Tagged">The tagged commits the walk stopped at, in the order met.</param>
/// <param name="SawMerge">A walked commit had more than one parent.</param>
/// <param name="ReachedBoundary">The walk met a shallow clone's edge: the history it needs is not here.</param>
/// <param name="Incomplete">A commit could not be read (missing object): the caller must not trust the walk.</param>
internal sealed record TagWalk(int Walked, IReadOnlyList<string> Tagged, bool SawMerge, bool ReachedBoundary, bool Incomplete)
{
    /// <summary>
    /// Breadth-first from <paramref name="head"/>; <paramref name="parents"/> reads a commit's parents (null when
    /// it cannot). Each commit is read once; a tagged one is collected and its parents are not read.
    /// </summary>
    public static TagWalk Run(string head, Func<string, bool> isTagged, Func<string, bool>? isBoundary, Func<string, string[]?> parents)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { head };
        var pending = new Queue<string>();
        pending.Enqueue(head);
        var tagged = new List<string>();
        var walked = 0;
        var sawMerge = false;
        while (pending.TryDequeue(out var sha))
        {
            if (isTagged(sha))
            {
                tagged.Add(sha);
                continue;
            }

            if (isBoundary?.Invoke(sha) == true)
            {
                return new TagWalk(walked, tagged, sawMerge, ReachedBoundary: true, Incomplete: false);
            }

            walked++;
            if (parents(sha) is not { } ofThis)
            {
                return new TagWalk(walked, tagged, sawMerge, ReachedBoundary: false, Incomplete: true);
            }

            sawMerge |= ofThis.Length > 1;
            foreach (var parent in ofThis)
            {
                if (seen.Add(parent))
                {
                    pending.Enqueue(parent);
                }
            }
        }

        return new TagWalk(walked, tagged, sawMerge, ReachedBoundary: false, Incomplete: false);
    }
}
