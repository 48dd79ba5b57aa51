using System.Text;
using TagForge.Ecr;
using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>What <see cref="GuardedTagWrite"/> does when the tag already holds another digest.</summary>
public enum TagConflict
{
    /// <summary>Refuse: <see cref="PolicyRefusalException"/> (exit 3), the tag untouched.</summary>
    Refuse,

    /// <summary>Leave the tag as it is and say so (<see cref="TagWriteResult.LeftAlone"/>); the caller warns.</summary>
    Keep,

    /// <summary>Move the tag to the new digest (asked for: <c>--allow-overwrite</c>, <c>--replace-signatures</c>).</summary>
    Replace,
}

/// <summary>The rules of one guarded tag write.</summary>
/// <param name="OnConflict">What another digest at the tag means.</param>
/// <param name="RefusalHint">What the refusal's message adds (how to get past it, e.g. <c>use --allow-overwrite</c>).</param>
/// <param name="Ecr">
/// When the registry is ECR: write with <c>PutImage</c> (ECR's own retag) instead of a registry-API PUT. Either way an
/// IMMUTABLE repository that refuses to move the tag is exit 3.
/// </param>
public sealed record TagWritePolicy(TagConflict OnConflict = TagConflict.Refuse, string? RefusalHint = null, IEcrClient? Ecr = null);

/// <summary>What a guarded tag write did.</summary>
public enum TagWriteResult
{
    /// <summary>The tag did not exist; it was written.</summary>
    Written,

    /// <summary>The tag already held this digest: nothing to do.</summary>
    AlreadyThere,

    /// <summary>The tag held another digest and was moved (<see cref="TagConflict.Replace"/>).</summary>
    Replaced,

    /// <summary>The tag held another digest and was left as it is (<see cref="TagConflict.Keep"/>).</summary>
    LeftAlone,
}

/// <summary>The outcome of <see cref="GuardedTagWrite.WriteAsync"/>.</summary>
/// <param name="Result">Written, already there, replaced or left alone.</param>
/// <param name="Tag">The tag (<c>registry/repo:tag</c>).</param>
/// <param name="Digest">The digest asked for.</param>
/// <param name="Previous">The digest the tag held before, when it held one.</param>
public sealed record TagWriteOutcome(TagWriteResult Result, ImageReference Tag, Digest Digest, Digest? Previous)
{
    /// <summary>True when the tag now holds <see cref="Digest"/>.</summary>
    public bool HoldsDigest => Result != TagWriteResult.LeftAlone;
}

/// <summary>
/// The one way TagForge writes a tag it does not own alone (promote's destination, backup and signature tags): read
/// what the tag holds now, then the same digest is nothing to do, another digest is refused (exit 3), left alone or
/// replaced as the <see cref="TagWritePolicy"/> says, and an ECR repository with IMMUTABLE tags that refuses the move
/// is exit 3. The read and the write are two requests (the distribution API has no conditional PUT): a writer racing
/// in between can still win, by a window of one round trip.
/// </summary>
public static class GuardedTagWrite
{
    /// <summary>What the tag holds now, without writing: <see langword="null"/> when it does not exist.</summary>
    public static async Task<TagWriteOutcome> CheckAsync(IRegistryClient client, ImageReference tag, Digest digest, TagWritePolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(policy);
        var target = Tagged(tag);
        var existing = await client.HeadManifestAsync(target, cancellationToken).ConfigureAwait(false);
        return Decide(target, digest, existing?.Digest, policy);
    }

    /// <summary>
    /// Puts <paramref name="manifest"/> (its exact bytes) under <paramref name="tag"/> by the rules of <paramref name="policy"/>.
    /// </summary>
    /// <exception cref="PolicyRefusalException">Another digest under <see cref="TagConflict.Refuse"/>, or an IMMUTABLE ECR tag (exit 3).</exception>
    /// <exception cref="RegistryException">The registry failed, or stored another digest than the manifest's (exit 1).</exception>
    public static async Task<TagWriteOutcome> WriteAsync(IRegistryClient client, ImageReference tag, RegistryManifest manifest, TagWritePolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var planned = await CheckAsync(client, tag, manifest.Digest, policy, cancellationToken).ConfigureAwait(false);
        if (planned.Result is TagWriteResult.AlreadyThere or TagWriteResult.LeftAlone)
        {
            return planned;
        }

        var target = planned.Tag;
        Digest stored;
        try
        {
            if (policy.Ecr is { } ecr)
            {
                // ECR checks the bytes against the digest given and refuses to move an IMMUTABLE tag itself.
                await ecr.PutImageAsync(target.Repository, Encoding.UTF8.GetString(manifest.Body), manifest.MediaType, target.Tag, manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
                stored = manifest.Digest;
            }
            else
            {
                stored = await client.PutManifestAsync(target, manifest.MediaType, manifest.Body, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RegistryException ex) when (ex.Message.Contains("cannot be overwritten because the repository is immutable", StringComparison.Ordinal))
        {
            throw new EcrTagConflictException(
                EcrTagConflictException.FormatMessage(target.Repository, target.Tag!, planned.Previous?.ToString(), manifest.Digest.ToString()),
                target.Repository, target.Tag!, planned.Previous?.ToString(), manifest.Digest.ToString());
        }

        catch (RegistryException ex) when (ex.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Conflict
            && (planned.Previous is not null || ex.Message.Contains("immutable", StringComparison.OrdinalIgnoreCase)))
        {
            // A registry that refuses to put a tag it holds (immutable tags: Harbor, Artifactory, GHCR rules) is a policy refusal, not an outage.
            throw new PolicyRefusalException(
                $"registry {target.Registry} refused to put {manifest.Digest} under {target.Name}:{target.Tag}{(planned.Previous is null ? "" : $", which holds {planned.Previous}")} (an immutable repository refuses a tag it already holds): {ex.Message}", ex);
        }

        if (stored != manifest.Digest)
        {
            throw new RegistryException(
                $"registry {target.Registry} stored {target.Repository}:{target.Tag} as {stored}, not {manifest.Digest}: it changed the image",
                target.Registry, target.Repository, null);
        }

        return planned;
    }

    private static ImageReference Tagged(ImageReference tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return tag.Tag is null
            ? throw new ArgumentException($"{tag} names no tag", nameof(tag))
            : tag.With(tag.Tag, null);
    }

    private static TagWriteOutcome Decide(ImageReference tag, Digest digest, Digest? existing, TagWritePolicy policy)
    {
        if (existing is null)
        {
            return new TagWriteOutcome(TagWriteResult.Written, tag, digest, null);
        }

        if (existing == digest)
        {
            return new TagWriteOutcome(TagWriteResult.AlreadyThere, tag, digest, existing);
        }

        return policy.OnConflict switch
        {
            TagConflict.Replace => new TagWriteOutcome(TagWriteResult.Replaced, tag, digest, existing),
            TagConflict.Keep => new TagWriteOutcome(TagWriteResult.LeftAlone, tag, digest, existing),
            _ => throw new PolicyRefusalException(
                $"{tag.Name}:{tag.Tag} already exists in {tag.Registry} with digest {existing}, and the image to put there is {digest}; refusing to overwrite it"
                + (policy.RefusalHint is { } hint ? $" ({hint})" : "")),
        };
    }
}
