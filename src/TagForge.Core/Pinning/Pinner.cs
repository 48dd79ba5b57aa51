using TagForge.Values;

namespace TagForge.Pinning;

/// <summary>Options for <see cref="Pinner.Pin"/>.</summary>
/// <param name="Style">How to write pinned references (default <see cref="PinStyle.TagDigest"/>).</param>
public sealed record PinOptions(PinStyle? Style = null);

/// <summary>One reference that changed.</summary>
public sealed record PinChange(ImageSite Site, string Before, string After);

/// <summary>A file's new text and what changed in it.</summary>
/// <param name="File">The file as read.</param>
/// <param name="Text">The new text (the same string when nothing changed).</param>
/// <param name="Changes">The references that changed.</param>
/// <param name="Findings">
/// References in the record not pinned to its digest (<c>unpinned</c>, what <c>--check</c> reports), what the file
/// holds that cannot be read or rewritten (<see cref="DeploymentFile.Problems"/>, errors) and warnings (an invalid
/// kustomize digest replaced).
/// </param>
public sealed record PinnedFile(DeploymentFile File, string Text, IReadOnlyList<PinChange> Changes, IReadOnlyList<Finding> Findings)
{
    /// <summary>Whether the text differs from the file's.</summary>
    public bool Changed => Changes.Count > 0;
}

/// <summary>Rewrites the images of a deployment file in place: only the values change, byte for byte.</summary>
public static class Pinner
{
    /// <summary>Pins every image whose repository is in <paramref name="record"/> to the record's digest (images not in it are left alone).</summary>
    public static PinnedFile Pin(DeploymentFile file, RecordIndex record, PinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(record);
        var style = options?.Style ?? PinStyle.TagDigest;
        return Rewrite(file, site =>
        {
            if (site.Reference is not { } reference || !record.TryGet(reference, out var tag, out var digest))
            {
                return null;
            }

            return (style == PinStyle.TagDigest ? tag : null, digest);
        });
    }

    /// <summary>
    /// Rewrites each site <paramref name="target"/> gives a (tag, digest) for; a null tag keeps the site's own tag
    /// in the digest style's sense (scalars drop it, blocks leave their tag key alone).
    /// </summary>
    internal static PinnedFile Rewrite(DeploymentFile file, Func<ImageSite, (string? Tag, Digest Digest)?> target)
    {
        var edits = new List<TextEdit>();
        var changes = new List<PinChange>();
        var findings = new List<Finding>(file.Problems);

        // A key written twice on the way to an image: which one is deployed depends on the reader; rewrite none.
        if (HasDuplicateKey(file.Problems))
        {
            findings.Add(new Finding(file.Name, file.Problems[0].Line, file.Problems[0].Column, FindingSeverity.Error, "not-pinned",
                $"{file.Name} is not pinned: a key is written twice on the way to an image; keep one and pin again", null));
            return new PinnedFile(file, file.Source.Text, [], InFileOrder(findings));
        }

        foreach (var site in file.Images)
        {
            if (target(site) is not { } wanted)
            {
                if (site.InvalidDigest is { } invalid)
                {
                    findings.Add(Finding.At(file, site, FindingSeverity.Error, "bad-digest",
                        $"{site.Text} has digest: {invalid}, which is not a digest (sha256: and 64 hex characters), and nothing to replace it with; fix or remove it"));
                }

                continue;
            }

            if (site.InvalidDigest is { } replaced)
            {
                findings.Add(Finding.At(file, site, FindingSeverity.Warning, "bad-digest-replaced",
                    $"{site.Text} had digest: {replaced}, which is not a digest; replaced with {wanted.Digest}"));
            }

            if (site.Reference!.Digest != wanted.Digest)
            {
                findings.Add(Finding.At(file, site, FindingSeverity.Error, "unpinned", $"{site.Text} is not pinned to {wanted.Digest}"));
            }

            var before = edits.Count;
            edits.AddRange(site.Rewrite(wanted.Tag, wanted.Digest, file.Source));
            if (edits.Count > before)
            {
                changes.Add(new PinChange(site, site.Text, site.Reference.With(wanted.Tag ?? (site is ScalarImageSite ? null : site.Reference.Tag), wanted.Digest).ToString()));
            }
        }

        var text = TextEdit.Apply(file.Source.Text, edits, file.Name);
        return new PinnedFile(file, text, changes, InFileOrder(findings));
    }

    private static bool HasDuplicateKey(IReadOnlyList<Finding> problems)
    {
        foreach (var problem in problems)
        {
            if (problem.Code == "duplicate-key")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The findings by line and column (a stable sort); one or none needs no sort, which is most files.</summary>
    private static IReadOnlyList<Finding> InFileOrder(List<Finding> findings) =>
        findings.Count < 2 ? [.. findings] : [.. findings.OrderBy(f => f.Line).ThenBy(f => f.Column)];
}
