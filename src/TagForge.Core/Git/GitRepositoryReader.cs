using LibGit2Sharp;
using TagForge.Errors;

namespace TagForge.Git;

/// <summary>
/// Reads what tagging needs from a git repository, each fact only when asked (status and history walks cost
/// time that a template without <c>{height}</c> should not pay). HEAD, its branch and its tree come straight from
/// the <c>.git</c> directory when it can (<see cref="GitDirectoryReader"/>); libgit2 is loaded only for what that
/// cannot answer: history, tags, commit times, a full status.
/// </summary>
public sealed class GitRepositoryReader : IDisposable
{
    private const string VersionTagPrefix = "v";
    private const int Sha1HexLength = 40;
    private readonly GitDirectoryReader? _directory;
    private Repository? _repository;
    private HashSet<string>? _shallowCommits;
    private GitHead? _headFromFiles;

    private GitRepositoryReader(string workingDirectory, GitDirectoryReader? directory)
    {
        WorkingDirectory = workingDirectory;
        _directory = directory;
    }

    /// <summary>The repository's working directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>libgit2's view of the repository, opened on first use.</summary>
    private Repository Repository
    {
        get
        {
            if (_repository is null)
            {
                try
                {
                    _repository = new Repository(WorkingDirectory);
                }
                catch (LibGit2SharpException ex)
                {
                    throw new ExternalFailureException($"cannot open the git repository at {WorkingDirectory}: {ex.Message}", ex);
                }
            }

            return _repository;
        }
    }

    /// <summary>Opens the repository that contains <paramref name="path"/>.</summary>
    /// <exception cref="BadInputException">No repository contains it.</exception>
    /// <exception cref="ExternalFailureException">Git could not read it.</exception>
    public static GitRepositoryReader Open(string path)
    {
        var workingDirectory = GitRepositoryLocator.FindWorkingDirectory(path);
        var directory = GitDirectoryReader.Open(workingDirectory);
        var reader = new GitRepositoryReader(workingDirectory, directory);
        if (directory is null)
        {
            // Not a layout read by hand: open with libgit2 now, so a broken repository fails here as before.
            _ = reader.Repository;
        }

        return reader;
    }

    /// <summary>HEAD's commit and branch.</summary>
    /// <exception cref="BadInputException">The repository has no commits yet.</exception>
    public GitHead ReadHead()
    {
        if (HeadFromFiles() is { } head)
        {
            return head;
        }

        var tip = Repository.Head.Tip
            ?? throw new BadInputException($"the git repository at {WorkingDirectory} has no commits yet; commit before tagging");
        var branch = Repository.Info.IsHeadDetached ? null : Repository.Head.FriendlyName;
        return new GitHead(tip.Sha, branch, Repository.Info.IsShallow);
    }

    private GitHead? HeadFromFiles() => _headFromFiles ??= _directory?.TryReadHead();

    /// <summary>True when tracked files differ from HEAD (staged or not). Untracked files are ignored, as <c>git describe --dirty</c> does.</summary>
    public bool IsDirty()
    {
        var headTree = _directory is not null && HeadFromFiles() is { } head ? _directory.TryReadTree(head.Sha) : null;
        headTree ??= Repository.Head.Tip?.Tree.Sha;
        var gitDirectory = _directory?.GitDirectory ?? Repository.Info.Path;
        if (headTree is not null && IndexStatCheck.IsClean(gitDirectory, WorkingDirectory, headTree) == true)
        {
            return false;
        }

        var options = new StatusOptions
        {
            IncludeUntracked = false,
            IncludeIgnored = false,
            RecurseUntrackedDirs = false,
            ExcludeSubmodules = true,
            // Renames do not matter for "is anything changed", and detecting them is most of status's cost.
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
        };
        return Repository.RetrieveStatus(options).IsDirty;
    }

    /// <summary>The committer time of <paramref name="sha"/>, in UTC.</summary>
    public DateTimeOffset CommitTime(string sha) => FindCommit(sha, "{commit-time}").Committer.When.ToUniversalTime();

    /// <summary>The nearest version tag at or below <paramref name="sha"/> and the height past it.</summary>
    /// <exception cref="BadInputException">The clone is shallow and lacks the history the answer needs.</exception>
    public GitVersionInfo DescribeVersion(string sha, string placeholder)
    {
        if (TryDescribeFromFiles(sha, placeholder) is { } fromFiles)
        {
            return fromFiles;
        }

        // libgit2 re-hashes every object it reads to verify it; git does not, and on a long history that check is
        // a third of the walk. Reading history to count it is not where corruption would go unnoticed.
        GlobalSettings.SetStrictHashVerification(false);
        var head = FindCommit(sha, placeholder);
        var versionTags = ReadVersionTags();

        if (versionTags.TryGetValue(head.Sha, out var atHead))
        {
            return new GitVersionInfo(atHead.Name, 0, atHead.Version);
        }

        if (versionTags.Count == 0)
        {
            var all = CountCommits(head, [], placeholder);
            return new GitVersionInfo(null, all, new SemanticVersion(0, 0, 0, ["alpha", "0"]).After(all));
        }

        // Walk back from HEAD and stop at every version tag (git describe's way): on a tagged history only the
        // commits above the newest tags are read. Hiding every tag from a revision walk instead made libgit2 read
        // down to the oldest tag first (0.3-1 s on 100,000 commits).
        var walk = WalkToTags(head.Sha, versionTags.ContainsKey);
        CommitsRead = walk.Walked;
        if (walk.ReachedBoundary || walk.Incomplete)
        {
            throw ShallowHistory(placeholder);
        }

        if (walk.Tagged.Count == 0)
        {
            // Every tag is on a line HEAD does not reach: the walk read every commit HEAD reaches.
            return new GitVersionInfo(null, walk.Walked, new SemanticVersion(0, 0, 0, ["alpha", "0"]).After(walk.Walked));
        }

        var nearestSha = walk.Tagged.MaxBy(tagged => versionTags[tagged].Version, Comparer<SemanticVersion>.Default)!;
        var nearest = versionTags[nearestSha];

        // Without merges the walk is the line from HEAD down to that one tag: exactly rev-list TAG..HEAD. With merges
        // a walked commit may also be below the tag, so count TAG..HEAD itself (hiding that one tag, which libgit2
        // walks to and no further).
        var height = walk.Tagged.Count == 1 && !walk.SawMerge
            ? walk.Walked
            : CountCommits(head, [Repository.Lookup<Commit>(nearestSha)], placeholder);
        return new GitVersionInfo(nearest.Name, height, nearest.Version.After(height));
    }

    /// <summary>
    /// The common tagged case without libgit2: tags and commits read from the <c>.git</c> directory, the walk back
    /// from HEAD stopping at the tags, and no merge on the way (then the walk is exactly TAG..HEAD). Null when any
    /// of that does not hold, and libgit2 answers.
    /// </summary>
    private GitVersionInfo? TryDescribeFromFiles(string sha, string placeholder)
    {
        if (_directory is null || sha.Length != Sha1HexLength)
        {
            return null;
        }

        using var files = new GitHistoryFiles(_directory.CommonDirectory);
        if (files.TryReadTags() is not { } tags)
        {
            return null;
        }

        var versionTags = new Dictionary<string, VersionTag>(StringComparer.Ordinal);
        foreach (var (name, commit) in tags)
        {
            AddVersionTag(versionTags, name, commit);
        }

        if (versionTags.TryGetValue(sha, out var atHead))
        {
            return new GitVersionInfo(atHead.Name, 0, atHead.Version);
        }

        if (versionTags.Count == 0)
        {
            return null; // untagged: libgit2's revision walk counts a whole history faster
        }

        var shallowCommits = ShallowCommits();
        var walk = TagWalk.Run(sha, versionTags.ContainsKey, shallowCommits.Count > 0 ? shallowCommits.Contains : null, files.TryReadParents);
        if (walk.Incomplete || walk.SawMerge || walk.Tagged.Count > 1)
        {
            return null;
        }

        CommitsRead = walk.Walked;
        if (walk.ReachedBoundary)
        {
            throw ShallowHistory(placeholder);
        }

        if (walk.Tagged.Count == 0)
        {
            return new GitVersionInfo(null, walk.Walked, new SemanticVersion(0, 0, 0, ["alpha", "0"]).After(walk.Walked));
        }

        var nearest = versionTags[walk.Tagged[0]];
        return new GitVersionInfo(nearest.Name, walk.Walked, nearest.Version.After(walk.Walked));
    }

    private static void AddVersionTag(Dictionary<string, VersionTag> tags, string name, string commit)
    {
        if (!name.StartsWith(VersionTagPrefix, StringComparison.Ordinal) || !SemanticVersion.TryParse(name[VersionTagPrefix.Length..], out var version))
        {
            return;
        }

        // Two version tags on one commit: the higher one names it.
        if (!tags.TryGetValue(commit, out var existing) || version.CompareTo(existing.Version) > 0)
        {
            tags[commit] = new VersionTag(name, version);
        }
    }

    /// <summary>Commits the last <see cref="DescribeVersion"/> read walking back to the version tags (for tests of its bound).</summary>
    internal int CommitsRead { get; private set; }

    private TagWalk WalkToTags(string head, Func<string, bool> isTagged)
    {
        var shallowCommits = ShallowCommits();
        Func<string, bool>? isBoundary = shallowCommits.Count > 0 ? shallowCommits.Contains : null;
        var walk = head.Length == Sha1HexLength ? NativeRevisionCounter.TryWalkToTags(Repository.Info.Path, head, isTagged, isBoundary) : null;
        if (walk is null or { Incomplete: true })
        {
            walk = TagWalk.Run(head, isTagged, isBoundary, sha => Repository.Lookup<Commit>(sha)?.Parents.Select(parent => parent.Sha).ToArray());
        }

        return walk;
    }

    /// <inheritdoc />
    public void Dispose() => _repository?.Dispose();

    private Commit FindCommit(string sha, string placeholder) =>
        Repository.Lookup<Commit>(sha)
        ?? throw new BadInputException(
            $"{placeholder} needs commit {sha}, which this clone does not have; fetch it (for example fetch-depth: 0, or git fetch origin {sha})");

    private int CountCommits(Commit head, IReadOnlyList<Commit> hidden, string placeholder, Action<Commit>? visit = null)
    {
        var shallowCommits = ShallowCommits();
        if (visit is null && head.Sha.Length == Sha1HexLength)
        {
            var counted = NativeRevisionCounter.TryCount(
                Repository.Info.Path,
                head.Sha,
                [.. hidden.Select(commit => commit.Sha)],
                shallowCommits.Count > 0 ? shallowCommits.Contains : null);
            if (counted == -1)
            {
                throw ShallowHistory(placeholder);
            }

            if (counted is { } count)
            {
                return count;
            }
        }

        var filter = new CommitFilter
        {
            IncludeReachableFrom = head,
            ExcludeReachableFrom = hidden,
            SortBy = CommitSortStrategies.None,
        };

        var walked = 0;
        foreach (var commit in Repository.Commits.QueryBy(filter))
        {
            if (shallowCommits.Count > 0 && shallowCommits.Contains(commit.Sha))
            {
                throw ShallowHistory(placeholder);
            }

            visit?.Invoke(commit);
            walked++;
        }

        return walked;
    }

    private static BadInputException ShallowHistory(string placeholder) => new(
        $"{placeholder} needs the full git history, but this is a shallow clone; fetch it (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)");

    private Dictionary<string, VersionTag> ReadVersionTags()
    {
        var tags = new Dictionary<string, VersionTag>(StringComparer.Ordinal);
        foreach (var tag in Repository.Tags)
        {
            var name = tag.FriendlyName;
            if (name.StartsWith(VersionTagPrefix, StringComparison.Ordinal) && tag.PeeledTarget is Commit commit)
            {
                AddVersionTag(tags, name, commit.Sha);
            }
        }

        return tags;
    }

    private HashSet<string> ShallowCommits()
    {
        if (_shallowCommits is not null)
        {
            return _shallowCommits;
        }

        // Worktrees share the shallow file of the main repository.
        var file = Path.Combine(_directory?.CommonDirectory ?? Repository.Info.Path, "shallow");
        _shallowCommits = File.Exists(file)
            ? new HashSet<string>(File.ReadAllLines(file).Where(line => line.Length > 0), StringComparer.Ordinal)
            : [];
        return _shallowCommits;
    }

    private sealed record VersionTag(string Name, SemanticVersion Version);
}
