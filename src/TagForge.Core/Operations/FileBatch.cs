namespace TagForge.Operations;

/// <summary>Per-item work done in parallel: the results of the items that worked and a message for each that did not, both in input order.</summary>
internal sealed record FileBatch<T>(IReadOnlyList<T> Done, IReadOnlyList<string> Errors);
