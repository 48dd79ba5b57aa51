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
/// The release's tags (index, platform tags, content tag, extra tags, a reused image's release tag) put through the
/// one guarded tag write, <see cref="Registry.GuardedTagWrite"/>: the same digest there already, nothing to do;
/// another digest, exit 3 for a <see cref="TagRule.Unique"/> tag unless overwriting is allowed; an immutable
/// repository's refusal, exit 3. A tag pushed by a builder is guarded by <see cref="OverwriteGuard"/> before the
/// push, with the same rules (and the rerun).
/// </summary>
public static class ReleaseTags
{
    private const string Hint = "use a unique tag, or --allow-overwrite";

    /// <summary>Puts <paramref name="body"/> (<paramref name="digest"/>) under <paramref name="tag"/>; returns false when the tag held it already.</summary>
    /// <exception cref="PolicyRefusalException">The tag holds another digest (a unique tag, overwriting not allowed), or the repository is immutable.</exception>
    public static async Task<bool> PutAsync(
        IRegistryClient client, ImageReference repository, string tag, string mediaType, ReadOnlyMemory<byte> body, Digest digest,
        TagRule rule, bool allowOverwrite, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(logger);
        var bytes = body.ToArray();
        if (!ManifestDocument.TryParse(bytes, mediaType, out var document, out var problem))
        {
            throw new InvalidOperationException($"{repository.Name}@{digest} is not a manifest: {problem}");
        }

        var policy = new TagWritePolicy(rule == TagRule.Moving || allowOverwrite ? TagConflict.Replace : TagConflict.Refuse, Hint);
        var outcome = await Registry.GuardedTagWrite.WriteAsync(client, repository.With(tag, null), new RegistryManifest(digest, mediaType, bytes, document), policy, cancellationToken).ConfigureAwait(false);
        if (outcome.Result == TagWriteResult.Replaced)
        {
            logger.LogWarning("moving {Repository}:{Tag} from {Old} to {New}{Why}", repository.Name, tag, outcome.Previous, digest, rule == TagRule.Unique ? " because --allow-overwrite was given" : "");
        }

        return outcome.Result != TagWriteResult.AlreadyThere;
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
