using Microsoft.Extensions.Logging;
using TagForge.Operations;
using TagForge.Tagging;

namespace TagForge.Tasks;

public static partial class TagForgeTasks
{
    /// <summary>Generates a tag from git, the CI build and the clock (<c>tagforge tag</c>).</summary>
    /// <returns>The tag (<see cref="TagResult.Tag"/>) and every input that made it.</returns>
    /// <exception cref="Errors.BadInputException">Bad template, no repository, missing history, unset variable.</exception>
    /// <exception cref="Errors.PolicyRefusalException">The tree is dirty and <see cref="DirtyMode.Fail"/> was asked for.</exception>
    public static TagResult Tag(TagSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var services = settings.CreateServices();
        var result = TagOperation.Generate(settings.Request, services);
        services.Logger.LogInformation("tag {Tag} (commit {Commit}, template {Template})", result.Tag, result.Commit, result.Template);
        return result;
    }

    /// <inheritdoc cref="Tag(TagSettings)"/>
    public static TagResult Tag(Configure<TagSettings> configure) => Tag(Apply(configure));

    /// <inheritdoc cref="Tag(TagSettings)"/>
    public static TagResult Tag() => Tag(new TagSettings());

    /// <inheritdoc cref="Tag(TagSettings)"/>
    public static Task<TagResult> TagAsync(TagSettings settings, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Tag(settings));
    }

    /// <inheritdoc cref="Tag(TagSettings)"/>
    public static Task<TagResult> TagAsync(Configure<TagSettings> configure, CancellationToken cancellationToken = default) =>
        TagAsync(Apply(configure), cancellationToken);
}
