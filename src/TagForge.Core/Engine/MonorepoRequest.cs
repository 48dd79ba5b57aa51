using TagForge.Release;

namespace TagForge.Engine;

/// <summary>
/// A release as the engine takes it: the images of <c>images:</c> in tagforge.yml (<c>tagforge release --all</c> /
/// <c>--only NAME</c>), or, with <see cref="OneImage"/>, the one image of <see cref="Release"/> (<c>--image</c>,
/// <c>TAGFORGE_IMAGE</c> or <c>image:</c>) for every platform it asks for. Each image is planned from
/// <see cref="Release"/> (the settings every image shares: config, tag template and build number, registry, docker,
/// record) and its <c>images:</c> entry.
/// </summary>
public sealed record MonorepoRequest
{
    /// <summary>The shared settings; its image, context, Dockerfile, target and build arguments are each image's own.</summary>
    public ReleaseRequest Release { get; init; } = new();

    /// <summary>Release the one image <see cref="Release"/> names rather than the images of <c>images:</c>.</summary>
    public bool OneImage { get; init; }

    /// <summary>The images to release with what they depend on; every image when empty.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>How many images build at once; else the processor count (at least 1).</summary>
    public int? Jobs { get; init; }

    /// <summary>Do not build an image whose content tag the registry holds: record its digest as reused. Implied by a template made of <c>{content}</c> alone.</summary>
    public bool SkipUnchanged { get; init; }

    /// <summary>Also put the release's unique tag on a reused digest (off: ECR keeps at most 1,000 tags per image).</summary>
    public bool TagReused { get; init; }

    /// <summary>Reuse an image whose context and Dockerfile git says did not change since this revision, once its identity is compared (the record's, else the registry's content tag); build the others.</summary>
    public string? ChangedSince { get; init; }

    /// <summary>The parallelism <see cref="Jobs"/> gives.</summary>
    public int EffectiveJobs => Math.Max(1, Jobs ?? Environment.ProcessorCount);

    /// <summary>Why this request cannot run, in the words of the caller's door; null when it can.</summary>
    public string? Problem()
    {
        if (Jobs is < 1)
        {
            return $"{Release.OptionNames.Jobs} must be at least 1";
        }

        if (OneImage && Only.Count > 0)
        {
            return "--only releases images of images: in tagforge.yml, not the one --image";
        }

        return !OneImage && Release.Image is not null
            ? $"{Release.OptionNames.ImageOption} names one repository; with --all/--only each image's repository comes from images: in tagforge.yml"
            : null;
    }
}
