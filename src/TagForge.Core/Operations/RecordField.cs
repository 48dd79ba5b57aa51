namespace TagForge.Operations;

/// <summary>Which value of a build record's entry <see cref="RecordGetOperation"/> returns.</summary>
public enum RecordField
{
    /// <summary><c>repository@digest</c>: what a deployment pins.</summary>
    Reference,

    /// <summary><c>sha256:…</c>.</summary>
    Digest,

    /// <summary>The tag TagForge released.</summary>
    Tag,
}
