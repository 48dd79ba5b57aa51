using Microsoft.Extensions.Logging;
using TagForge.Errors;
using TagForge.Registry;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>What a tag is for, which decides what happens when it already names another digest.</summary>
public enum TagRule
{
    /// <summary>A release's own tag (the unique tag, a platform tag, an index's tag): another digest there is refused (exit 3) unless overwriting is allowed.</summary>
    Unique,

    /// <summary>A tag meant to move (<c>--extra-tag latest</c>, a content tag a rebuild of the same content may take): it is moved, and the move is logged.</summary>
    Moving,
}

/// <summary>
/// The one way TagForge puts a tag on a manifest it holds in the registry (index, platform tags, content tag, extra
/// tags, a reused image's release tag): the same digest there already, nothing to do; another digest, exit 3 for a
/// <see cref="TagRule.Unique"/> tag unless overwriting is allowed; an immutable repository's refusal, exit 3 with the
/// guard's message. A tag pushed by a builder is guarded by <see cref="OverwriteGuard"/> before the push, with the
/// same rules (and the rerun).
/// </summary>
public static class GuardedTagWrite
{
    /// <summary>Puts <paramref name="body"/> (<paramref name="digest"/>) under <paramref name="tag"/>; returns false when the tag held it already.</summary>
    /// <exception cref="PolicyRefusalException">The tag holds another digest (a unique tag, overwriting not allowed), or the repository is immutable.</exception>
    public static async Task<bool> PutAsync(
        IRegistryClient client, ImageReference repository, string tag, string mediaType, ReadOnlyMemory<byte> body, Digest digest,
        TagRule rule, bool allowOverwrite, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(logger);
        var tagged = repository.With(tag, null);
        var holder = await client.HeadManifestAsync(tagged, cancellationToken).ConfigureAwait(false);
        if (holder?.Digest == digest)
        {
            return false;
        }

        if (holder is not null)
        {
            if (rule == TagRule.Unique && !allowOverwrite)
            {
                throw new PolicyRefusalException(
                    $"{repository.Name}:{tag} already exists in {repository.Registry} with digest {holder.Digest}, and this release's is {digest}; refusing to overwrite it (use a unique tag, or --allow-overwrite)");
            }

            logger.LogWarning("moving {Repository}:{Tag} from {Old} to {New}{Why}", repository.Name, tag, holder.Digest, digest, rule == TagRule.Unique ? " because --allow-overwrite was given" : "");
        }

        try
        {
            _ = await client.PutManifestAsync(tagged, mediaType, body, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException ex) when (ex.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Conflict
            && (holder is not null || ex.Message.Contains("immutable", StringComparison.OrdinalIgnoreCase)))
        {
            throw new PolicyRefusalException(
                $"registry {repository.Registry} refused to put {digest} under {repository.Name}:{tag}{(holder is null ? "" : $", which holds {holder.Digest}")} (an immutable repository refuses a tag it already holds): {ex.Message}", ex);
        }

        return true;
    }

    /// <summary>Puts <paramref name="tag"/> on the manifest <paramref name="digest"/> the repository holds (read once, put under the tag).</summary>
    /// <exception cref="ExternalFailureException">The registry does not have the manifest.</exception>
    public static async Task<bool> CopyAsync(
        IRegistryClient client, ImageReference repository, Digest digest, string tag, TagRule rule, bool allowOverwrite, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(repository);
        var manifest = await client.GetManifestAsync(repository.With(null, digest), cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalFailureException($"registry {repository.Registry} does not have {repository.Name}@{digest} to tag it {tag}");
        return await PutAsync(client, repository, tag, manifest.MediaType, manifest.Body, digest, rule, allowOverwrite, logger, cancellationToken).ConfigureAwait(false);
    }
}
