using TagForge.Git;

namespace TagForge.Content;

/// <summary>What kind of entry of a build context.</summary>
public enum ContextEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory the builder sends as an entry (with its mode).</summary>
    Directory,

    /// <summary>A symbolic link, sent as a link (never followed).</summary>
    Symlink,

    /// <summary>A FIFO, socket or device.</summary>
    Special,
}

/// <summary>One entry the builder is sent: its path relative to the context (<c>/</c>-separated), kind, permission bits, and for a link its target.</summary>
public sealed record ContextEntry(string Path, ContextEntryKind Kind, int Mode, long Length, string? LinkTarget, string FullPath, DateTime LastWriteUtc)
{
    /// <summary>What the walk's one stat of the entry said: what git's stat cache is compared with.</summary>
    internal FileStat Stat { get; init; }
}
