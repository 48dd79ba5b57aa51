
namespace TagForge.Pinning;

/// <summary>Options for <see cref="Linter.Lint"/>.</summary>
/// <param name="FloatingTags">Tags that move (default <see cref="Linter.DefaultFloatingTags"/>); compared case-insensitively.</param>
public sealed record LintOptions(IReadOnlyCollection<string>? FloatingTags = null);

/// <summary>Finds references a deployment cannot rely on: no tag, <c>latest</c> or another floating tag, and no digest.</summary>
public static class Linter
{
    /// <summary>Tags that name "whatever was pushed last" by convention.</summary>
    public static IReadOnlyList<string> DefaultFloatingTags { get; } =
        ["latest", "main", "master", "develop", "dev", "edge", "nightly", "stable", "head", "canary", "snapshot"];

    /// <summary>The findings for one file, in file order.</summary>
    public static IReadOnlyList<Finding> Lint(DeploymentFile file, LintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var floating = new HashSet<string>(options?.FloatingTags ?? DefaultFloatingTags, StringComparer.OrdinalIgnoreCase);
        var findings = new List<Finding>(file.Problems);
        foreach (var site in file.Images)
        {
            if (site.InvalidDigest is { } invalid)
            {
                findings.Add(Finding.At(file, site, FindingSeverity.Error, "bad-digest",
                    $"{site.Text} has digest: {invalid}, which is not a digest (sha256: and 64 hex characters); pin it: tagforge pin {file.Name} --record tagforge.json"));
            }

            if (site.Reference is not { } reference)
            {
                findings.Add(Finding.At(file, site, FindingSeverity.Warning, "not-literal", $"'{site.Text}' is not a literal image reference ({site.Problem}); not checked"));
                continue;
            }

            if (reference.Digest is null && !site.TagIsInherited)
            {
                if (reference.Tag is null)
                {
                    findings.Add(Finding.At(file, site, FindingSeverity.Error, "no-tag",
                        $"{site.Text} has no tag (means :latest) and no digest; pin it: tagforge pin {file.Name} --record tagforge.json, or tagforge resolve {file.Name}"));
                }
                else if (floating.Contains(reference.Tag))
                {
                    findings.Add(Finding.At(file, site, FindingSeverity.Error, "floating-tag",
                        $"{site.Text} uses the floating tag '{reference.Tag}' and no digest; pin it: tagforge pin {file.Name} --record tagforge.json, or tagforge resolve {file.Name}"));
                }

                if (string.Equals(site.PullPolicy, "Always", StringComparison.Ordinal))
                {
                    findings.Add(Finding.At(file, site, FindingSeverity.Warning, "pull-always",
                        $"imagePullPolicy: Always works around the mutable reference {site.Text}; pin a digest instead, then IfNotPresent is exact"));
                }
            }
        }

        return [.. findings.OrderBy(f => f.Line).ThenBy(f => f.Column)];
    }
}
