using TagForge.Release;

namespace TagForge.Monorepo;

/// <summary>
/// A release of several images of one repository (<c>images:</c> in tagforge.yml): <c>tagforge release --all</c> /
/// <c>--only NAME</c>. Each image is one <see cref="ReleaseRequest"/> made from <see cref="Release"/> (the settings
/// every image shares: config, tag template and build number, registry, docker, record) and its <c>images:</c> entry.
/// </summary>
public sealed record MonorepoRequest
{
    /// <summary>The shared settings; its image, context, Dockerfile, target and build arguments are each image's own.</summary>
    public ReleaseRequest Release { get; init; } = new();

    /// <summary>The images to release with what they depend on; every image when empty.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>How many images build at once; else the processor count (at least 1).</summary>
    public int? Jobs { get; init; }

    /// <summary>Do not build an image whose content tag the registry holds: record its digest as reused.</summary>
    public bool SkipUnchanged { get; init; }

    /// <summary>Also put the release's unique tag on a reused digest (off: ECR keeps at most 1,000 tags per image).</summary>
    public bool TagReused { get; init; }

    /// <summary>Build only the images whose context or Dockerfile changed since this git revision (and their dependants); reuse the others.</summary>
    public string? ChangedSince { get; init; }

    /// <summary>The parallelism <see cref="Jobs"/> gives.</summary>
    public int EffectiveJobs => Math.Max(1, Jobs ?? Environment.ProcessorCount);
}
