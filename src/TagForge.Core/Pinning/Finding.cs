namespace TagForge.Pinning;

/// <summary>How serious a finding is.</summary>
public enum FindingSeverity
{
    /// <summary>Fails the command (exit 3).</summary>
    Error,

    /// <summary>Reported; does not change the exit code.</summary>
    Warning,
}

/// <summary>Something a check found at a place in a file.</summary>
/// <param name="File">The file as named on the command line.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">A stable code: <c>unpinned</c>, <c>floating-tag</c>, <c>no-tag</c>, <c>pull-always</c>, <c>not-literal</c>, <c>missing</c>, <c>not-found</c>,
/// <c>unreadable</c> (a value in an image position TagForge cannot read or rewrite), <c>duplicate-key</c>, <c>not-pinned</c>
/// (a file pin refused), <c>bad-digest</c>, <c>bad-digest-replaced</c> (a warning), <c>not-in-record</c> (<c>pin --check</c> of a file
/// whose images the record holds none of).</param>
/// <param name="Message">One line saying what and how to fix it.</param>
/// <param name="Reference">The image as written.</param>
public sealed record Finding(string File, int Line, int Column, FindingSeverity Severity, string Code, string Message, string? Reference)
{
    internal static Finding At(DeploymentFile file, ImageSite site, FindingSeverity severity, string code, string message) =>
        new(file.Name, site.Line, site.Column, severity, code, message, site.Text);
}
