using TagForge.Release;

namespace TagForge.Tasks;

/// <summary>
/// What build, push and release settings share: one <see cref="ReleaseRequest"/> (the same record the command line
/// fills) that the fluent setters edit. Unset values are layered by the release itself: <c>TAGFORGE_*</c>, then
/// <c>tagforge.yml</c> (found from <see cref="TagForgeSettings.WorkingDirectory"/>), then the defaults.
/// </summary>
public abstract record ReleaseTaskSettings : TagForgeSettings
{
    /// <summary>The release these settings describe.</summary>
    public ReleaseRequest Request { get; init; } = new() { OptionNames = ReleaseOptionNames.Tasks };

    /// <summary>A copy with <paramref name="edit"/> applied to the request.</summary>
    internal ReleaseTaskSettings With(Func<ReleaseRequest, ReleaseRequest> edit) => this with { Request = edit(Request) };
}

/// <summary>Settings that build an image from source (build, release): the context, the Dockerfile, the tag template.</summary>
public interface ISourceSettings : ITagSettings;

/// <summary>Settings that push an image (push, release): the record, the overwrite guard, credentials, ECR.</summary>
public interface IPublishSettings;
