namespace TagForge.Config;

/// <summary>
/// What <c>tagforge release</c> needs that a project states once: in <c>tagforge.yml</c>, in <c>TAGFORGE_*</c>
/// environment variables, or on the command line. Unset values are <see langword="null"/>; <see cref="Over"/> layers
/// one source over another (command line over environment over file).
/// </summary>
public sealed record ReleaseConfig
{
    /// <summary>The repository to push to, without a tag (<c>registry/path</c>).</summary>
    public string? Image { get; init; }

    /// <summary>The build context directory (absolute once loaded from a file).</summary>
    public string? Context { get; init; }

    /// <summary>The Dockerfile (absolute once loaded from a file).</summary>
    public string? Dockerfile { get; init; }

    /// <summary>The tag template.</summary>
    public string? Template { get; init; }

    /// <summary>A named template.</summary>
    public string? Preset { get; init; }

    /// <summary>The build record to write (absolute once loaded from a file).</summary>
    public string? Record { get; init; }

    /// <summary>The platform to build for, e.g. <c>linux/amd64</c>.</summary>
    public string? Platform { get; init; }

    /// <summary>The builder: docker, podman, buildah or dotnet.</summary>
    public string? Builder { get; init; }

    /// <summary>The project <c>builder: dotnet</c> publishes (absolute once loaded from a file).</summary>
    public string? Project { get; init; }

    /// <summary>Where these values came from (a file path, or <c>environment</c>), for messages.</summary>
    public string? Source { get; init; }

    /// <summary>An empty configuration.</summary>
    public static ReleaseConfig Empty { get; } = new();

    /// <summary>This configuration's values, falling back to <paramref name="lower"/>'s where this one has none.</summary>
    public ReleaseConfig Over(ReleaseConfig lower)
    {
        ArgumentNullException.ThrowIfNull(lower);
        return new ReleaseConfig
        {
            Image = Image ?? lower.Image,
            Context = Context ?? lower.Context,
            Dockerfile = Dockerfile ?? lower.Dockerfile,
            Template = Template ?? lower.Template,
            Preset = Preset ?? lower.Preset,
            Record = Record ?? lower.Record,
            Platform = Platform ?? lower.Platform,
            Builder = Builder ?? lower.Builder,
            Project = Project ?? lower.Project,
            Source = Source ?? lower.Source,
        };
    }
}
