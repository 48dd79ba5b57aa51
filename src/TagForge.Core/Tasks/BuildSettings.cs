namespace TagForge.Tasks;

/// <summary>Settings of <see cref="TagForgeTasks.Build(BuildSettings)"/>: tag and build an image locally, without pushing.</summary>
public sealed record BuildSettings : SourceSettings;
