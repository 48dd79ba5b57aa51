namespace TagForge.Git;

/// <summary>The commit checked out and how it is checked out.</summary>
/// <param name="Sha">The full hex id of HEAD's commit.</param>
/// <param name="Branch">The local branch HEAD points at, or <see langword="null"/> when HEAD is detached.</param>
/// <param name="IsShallow">True in a shallow clone, whose history stops at grafted commits.</param>
public sealed record GitHead(string Sha, string? Branch, bool IsShallow);
