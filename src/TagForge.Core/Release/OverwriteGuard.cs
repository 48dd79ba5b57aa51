using TagForge.Containers;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>What the registry holds under a tag, compared with the local image.</summary>
internal enum GuardOutcome
{
    /// <summary>The tag does not exist: push.</summary>
    Absent,

    /// <summary>The tag holds this very image: nothing to push (a rerun of the same build).</summary>
    SameImage,

    /// <summary>The tag holds another image.</summary>
    Different,
}

internal sealed record GuardResult(GuardOutcome Kind, Digest? RemoteDigest, string LocalDescription);

/// <summary>
/// Asks the registry whether a tag exists before pushing, and whether it holds the local image: the same manifest
/// digest (docker's RepoDigests for that repository) or the same config digest (the image id), so a rerun that
/// rebuilt the identical image from cache is recognised even when it was never pushed from this machine.
/// </summary>
internal static class OverwriteGuard
{
    public static async Task<GuardResult> CheckAsync(IRegistryClient registry, IImageBuilder docker, ImageReference tagged, string local, string imageId, CancellationToken cancellationToken)
    {
        var remote = await registry.HeadManifestAsync(tagged, cancellationToken).ConfigureAwait(false);
        if (remote is null)
        {
            return new GuardResult(GuardOutcome.Absent, null, "");
        }

        var localDigests = await docker.GetDigestsInAsync(local, tagged, cancellationToken).ConfigureAwait(false);
        if (localDigests.Contains(remote.Digest))
        {
            return new GuardResult(GuardOutcome.SameImage, remote.Digest, "");
        }

        if (await registry.GetConfigDigestAsync(tagged.With(tagged.Tag, remote.Digest), cancellationToken).ConfigureAwait(false) is { } config
            && config.ToString() == imageId)
        {
            return new GuardResult(GuardOutcome.SameImage, remote.Digest, "");
        }

        var description = localDigests.Count > 0 ? $"{string.Join(", ", localDigests)} (image {imageId})" : $"image {imageId}, not pushed yet";
        return new GuardResult(GuardOutcome.Different, remote.Digest, description);
    }
}
