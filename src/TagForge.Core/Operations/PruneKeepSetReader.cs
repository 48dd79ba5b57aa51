using System.Text.RegularExpressions;
using TagForge.Errors;
using TagForge.Pinning;
using TagForge.Records;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// Reads the keep inputs of a prune into a <see cref="PruneKeepSet"/> for one repository. It never skips what it cannot
/// read: a file that does not parse, an image position it cannot resolve to a tag or digest (a variable, an empty Helm
/// tag, a kustomize entry whose tag comes from a base it was not given), an input without any image, or a record where
/// deployment files belong (and the reverse) is a <see cref="BadInputException"/> naming file and line. Only
/// <see cref="PruneRequest.AcceptUnreadable"/> turns unreadable positions into warnings.
/// </summary>
internal sealed partial class PruneKeepSetReader(PruneRequest request, TagForgeServices services, ImageReference repository)
{
    /// <summary>Reads every keep input again (prune calls this at plan time and again before deleting).</summary>
    /// <exception cref="BadInputException">Something in the keep inputs cannot be read, or an input holds no image.</exception>
    public PruneKeepSet Read()
    {
        var keep = new PruneKeepSet();
        var refused = new List<string>();
        var unreadable = new List<string>();
        foreach (var path in request.KeepRecords)
        {
            ReadRecord(path, keep, refused);
        }

        var sites = new List<(DeploymentFile File, ImageSite Site)>();
        foreach (var input in request.KeepPinned)
        {
            var before = sites.Count;
            var problemsBefore = refused.Count + unreadable.Count;
            var files = DeploymentPaths.Expand([input], services.WorkingDirectory, out var missing);
            refused.AddRange(missing.Select(ex => ex.Message));
            foreach (var name in files)
            {
                if (ReadDeploymentFile(name, refused) is { } file)
                {
                    unreadable.AddRange(file.Problems.Where(problem => problem.Severity == FindingSeverity.Error).Select(problem => $"{problem.File}:{problem.Line}: {problem.Message}"));
                    sites.AddRange(file.Images.Select(site => (file, site)));
                }
            }

            if (sites.Count == before && refused.Count + unreadable.Count == problemsBefore)
            {
                refused.Add($"{input}: no image found in it (an empty file, only comments, or a directory without deployment files): an empty keep set would keep nothing");
            }
        }

        foreach (var (file, site) in sites)
        {
            Resolve(file, site, sites, keep, unreadable);
        }

        if (refused.Count > 0 || (unreadable.Count > 0 && !request.AcceptUnreadable))
        {
            var hint = unreadable.Count > 0 ? "; fix them, or pass --accept-unreadable to prune anyway" : "";
            throw new BadInputException(
                $"prune refuses: the keep set cannot be read ({string.Join("; ", refused.Concat(unreadable))}); an unreadable keep set is not an empty one{hint}");
        }

        keep.Warnings.AddRange(unreadable.Select(problem => $"{problem} (accepted by --accept-unreadable: whatever it names is not kept)"));
        return keep;
    }

    private void ReadRecord(string path, PruneKeepSet keep, List<string> refused)
    {
        var full = services.Resolve(path)!;
        BuildRecord record;
        try
        {
            record = BuildRecordFile.Read(full, path);
        }
        catch (BadInputException) when (DeploymentFormatOf(full, path) is { } format)
        {
            refused.Add($"{path} is a deployment file ({format}), not a build record: give it to --keep-pinned");
            return;
        }

        if (record.Images.Count == 0 && (record.Promotions ?? []).Count == 0)
        {
            refused.Add($"{path}: the build record holds no image: an empty keep set would keep nothing");
            return;
        }

        foreach (var image in record.Images.Where(image => BuildRecord.NormalizedName(image.Repository) == repository.FullName))
        {
            if (Digest.TryParse(image.Digest, out var digest))
            {
                keep.AddDigest(digest, $"record {path}");
            }

            foreach (var platform in image.Platforms ?? [])
            {
                if (Digest.TryParse(platform.Digest, out var child))
                {
                    keep.AddDigest(child, $"record {path} ({platform.Platform})");
                }
            }
        }

        foreach (var promotion in record.Promotions ?? [])
        {
            if (ImageReference.TryParse(promotion.Destination, out var destination) && destination.FullName == repository.FullName && Digest.TryParse(promotion.Digest, out var digest))
            {
                keep.AddDigest(digest, $"promotion in {path}");
            }
        }
    }

    private DeploymentFile? ReadDeploymentFile(string name, List<string> refused)
    {
        if (name == "-")
        {
            refused.Add("-: prune reads no standard input; name the files");
            return null;
        }

        var full = services.Resolve(name)!;
        try
        {
            if (IsBuildRecord(full))
            {
                refused.Add($"{name} is a TagForge build record, not a deployment file: give it to --keep-record");
                return null;
            }

            return DeploymentFile.Read(full, name);
        }
        catch (BadInputException ex)
        {
            refused.Add(ex.Message);
            return null;
        }
    }

    /// <summary>Adds what <paramref name="site"/> keeps in this repository, or says why it cannot be read.</summary>
    private void Resolve(DeploymentFile file, ImageSite site, List<(DeploymentFile File, ImageSite Site)> all, PruneKeepSet keep, List<string> unreadable)
    {
        var at = $"{file.Name}:{site.Line}";
        var reference = site.Reference;
        if (reference is null && site.Format == DeploymentFormat.Compose && ComposeDefaults(site.Text) is { } expanded && ImageReference.TryParse(expanded, out var withDefaults))
        {
            keep.Warnings.Add($"{at}: read '{site.Text}' as '{expanded}', what docker compose pulls when the variables are unset");
            reference = withDefaults;
        }

        if (reference is null)
        {
            unreadable.Add($"{at}: the image '{site.Text}' is not a reference prune can resolve ({site.Problem})");
            return;
        }

        if (reference.FullName != repository.FullName)
        {
            return;
        }

        var digest = reference.Digest ?? site.HelmSha;
        if (digest is null && site.TagIsInherited)
        {
            if (site.KustomizeName is { } original && TagFromBase(original, all) is { } inherited)
            {
                (digest, var tag) = inherited;
                if (digest is null)
                {
                    keep.AddTag(tag!, $"tag used in {at} (from its base)");
                    return;
                }
            }
            else
            {
                unreadable.Add(site.Format == DeploymentFormat.Kustomization
                    ? $"{at}: the kustomize image {site.Text} has no newTag: its tag comes from the base, which is not among the keep inputs (give the base too)"
                    : $"{at}: the image {site.Text} has an empty tag: the chart's appVersion decides it, which prune cannot read (write the tag or digest)");
                return;
            }
        }

        if (digest is not null)
        {
            keep.AddDigest(digest, $"pinned in {at}");
        }
        else
        {
            // No tag means latest, as every runtime pulls it.
            keep.AddTag(reference.Tag ?? "latest", reference.Tag is null ? $"untagged in {at} (pulls latest)" : $"tag used in {at}");
        }
    }

    /// <summary>The tag or digest the base's image named <paramref name="original"/> is written with, when the base is among the inputs.</summary>
    private static (Digest? Digest, string? Tag)? TagFromBase(string original, List<(DeploymentFile File, ImageSite Site)> all)
    {
        if (!ImageReference.TryParse(original, out var name))
        {
            return null;
        }

        foreach (var (_, site) in all)
        {
            if (site.Format != DeploymentFormat.Kustomization && site.Reference is { } written && written.FullName == name.FullName)
            {
                return (written.Digest, written.Tag ?? "latest");
            }
        }

        return null;
    }

    /// <summary>
    /// Compose interpolation with the defaults taken (<c>${VAR:-default}</c>, <c>${VAR-default}</c>, <c>$$</c>), or
    /// null when a variable has no default: its value is not in the file.
    /// </summary>
    internal static string? ComposeDefaults(string text)
    {
        var expanded = Interpolation().Replace(text.Replace("$$", "\u0000", StringComparison.Ordinal), match => match.Groups["default"].Value);
        return expanded.Contains('$', StringComparison.Ordinal) || expanded == text ? null : expanded.Replace("\u0000", "$", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\$\{[A-Za-z_][A-Za-z0-9_]*:?-(?<default>[^}$]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Interpolation();

    private static bool IsBuildRecord(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var start = bytes.AsSpan().TrimStart(" \t\r\n\uFEFF"u8);
            if (start.Length == 0 || start[0] != (byte)'{')
            {
                return false;
            }

            BuildRecordFile.Parse(bytes, path);
            return true;
        }
        catch (Exception ex) when (ex is BadInputException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static DeploymentFormat? DeploymentFormatOf(string path, string name)
    {
        try
        {
            var file = DeploymentFile.Read(path, name);
            return file.Format == DeploymentFormat.Empty ? null : file.Format;
        }
        catch (BadInputException)
        {
            return null;
        }
    }
}
