using TagForge.Errors;
using TagForge.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TagForge.Config;

/// <summary>
/// Finds and reads <c>tagforge.yml</c> (or <c>tagforge.yaml</c>, <c>.tagforge.yml</c>, <c>.tagforge.yaml</c>), and reads
/// the <c>TAGFORGE_*</c> environment variables. The YAML is read with YamlDotNet's representation model (no
/// reflection, so it is trim- and AOT-safe); unknown keys are errors, so a typo never silently does nothing.
/// </summary>
public static class ReleaseConfigFile
{
    /// <summary>The file names looked for, in this order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["tagforge.yml", "tagforge.yaml", ".tagforge.yml", ".tagforge.yaml"];

    /// <summary>The environment variable naming a config file explicitly.</summary>
    public const string ConfigVariable = "TAGFORGE_CONFIG";

    /// <summary>The environment variables read, and the setting each one gives.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentVariables { get; } = new Dictionary<string, string>
    {
        ["TAGFORGE_IMAGE"] = "image",
        ["TAGFORGE_CONTEXT"] = "context",
        ["TAGFORGE_DOCKERFILE"] = "dockerfile",
        ["TAGFORGE_TEMPLATE"] = "template",
        ["TAGFORGE_PRESET"] = "preset",
        ["TAGFORGE_RECORD"] = "record",
        ["TAGFORGE_PLATFORM"] = "platform",
        ["TAGFORGE_BUILDER"] = "builder",
        ["TAGFORGE_PROJECT"] = "project",
    };

    private static readonly string[] Keys = ["image", "context", "dockerfile", "template", "preset", "record", "platform", "builder", "project"];

    /// <summary>
    /// The config file for <paramref name="directory"/>: the first of <see cref="FileNames"/> in it or in a parent,
    /// stopping at the git repository's root (the directory holding <c>.git</c>); <see langword="null"/> when none.
    /// </summary>
    /// <exception cref="BadInputException">Two config files in the same directory.</exception>
    public static string? Find(string directory)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            var found = FileNames.Select(name => Path.Combine(current.FullName, name)).Where(File.Exists).ToList();
            if (found.Count > 1)
            {
                throw new BadInputException(
                    $"{current.FullName} has {string.Join(" and ", found.Select(Path.GetFileName))}; keep one");
            }

            if (found.Count == 1)
            {
                return found[0];
            }

            if (Directory.Exists(Path.Combine(current.FullName, ".git")) || File.Exists(Path.Combine(current.FullName, ".git")))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Loads the configuration for a run in <paramref name="directory"/>: the environment over the file
    /// (<c>TAGFORGE_CONFIG</c>, else <see cref="Find"/>); <see cref="ReleaseConfig.Empty"/> when there is neither.
    /// </summary>
    public static ReleaseConfig Load(string directory, IEnvironmentVariables environment, string? explicitPath = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var path = explicitPath ?? environment.Read(ConfigVariable);
        if (path is not null)
        {
            path = Path.GetFullPath(path, directory);
            if (!File.Exists(path))
            {
                throw new BadInputException($"the config file {path} does not exist");
            }
        }
        else
        {
            path = Find(directory);
        }

        var file = path is null ? ReleaseConfig.Empty : Read(path);
        return FromEnvironment(environment, directory).Over(file);
    }

    /// <summary>Reads a config file; relative paths in it are relative to the file's directory.</summary>
    /// <exception cref="BadInputException">Unreadable, not YAML, not a mapping, an unknown key, or a value that is not text.</exception>
    public static ReleaseConfig Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the config file {path}: {ex.Message}", ex);
        }

        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses config YAML; <paramref name="source"/> names it in messages, <paramref name="baseDirectory"/> anchors relative paths.</summary>
    public static ReleaseConfig Parse(string text, string source, string baseDirectory)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new BadInputException($"{source}:{ex.Start.Line}: not valid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return ReleaseConfig.Empty with { Source = source };
        }

        if (stream.Documents.Count > 1)
        {
            throw new BadInputException($"{source}: has {stream.Documents.Count} YAML documents; a config file holds one");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new BadInputException($"{source}:{stream.Documents[0].RootNode.Start.Line}: the config must be a mapping such as 'image: registry.example.com/app'");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key is null || !Keys.Contains(key))
            {
                throw new BadInputException(
                    $"{source}:{keyNode.Start.Line}: unknown key '{keyNode}'; the keys are {string.Join(", ", Keys)}");
            }

            if (valueNode is not YamlScalarNode scalar)
            {
                throw new BadInputException($"{source}:{valueNode.Start.Line}: '{key}' must be a single value");
            }

            if (scalar.Value is { Length: > 0 } value && !(scalar.Style == ScalarStyle.Plain && value is "~" or "null"))
            {
                values[key] = value;
            }
        }

        return new ReleaseConfig
        {
            Image = values.GetValueOrDefault("image"),
            Context = RelativeTo(baseDirectory, values.GetValueOrDefault("context")),
            Dockerfile = RelativeTo(baseDirectory, values.GetValueOrDefault("dockerfile")),
            Template = values.GetValueOrDefault("template"),
            Preset = values.GetValueOrDefault("preset"),
            Record = RelativeTo(baseDirectory, values.GetValueOrDefault("record")),
            Platform = values.GetValueOrDefault("platform"),
            Builder = values.GetValueOrDefault("builder"),
            Project = RelativeTo(baseDirectory, values.GetValueOrDefault("project")),
            Source = source,
        };
    }

    /// <summary>The settings given by <see cref="EnvironmentVariables"/>; relative paths are relative to <paramref name="directory"/>.</summary>
    public static ReleaseConfig FromEnvironment(IEnvironmentVariables environment, string directory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var config = new ReleaseConfig
        {
            Image = environment.Read("TAGFORGE_IMAGE"),
            Context = RelativeTo(directory, environment.Read("TAGFORGE_CONTEXT")),
            Dockerfile = RelativeTo(directory, environment.Read("TAGFORGE_DOCKERFILE")),
            Template = environment.Read("TAGFORGE_TEMPLATE"),
            Preset = environment.Read("TAGFORGE_PRESET"),
            Record = RelativeTo(directory, environment.Read("TAGFORGE_RECORD")),
            Platform = environment.Read("TAGFORGE_PLATFORM"),
            Builder = environment.Read("TAGFORGE_BUILDER"),
            Project = RelativeTo(directory, environment.Read("TAGFORGE_PROJECT")),
        };
        return config == ReleaseConfig.Empty ? config : config with { Source = "environment" };
    }

    private static string? RelativeTo(string directory, string? path) => path is null ? null : Path.GetFullPath(path, directory);
}
