using TagForge.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TagForge.Config;

/// <summary>
/// Reads <c>images:</c> of tagforge.yml: a sequence of mappings, one per image. Unknown keys are errors, as at the top
/// level; <c>build-args</c> is a mapping (<c>NAME: VALUE</c>) or a list of <c>NAME=VALUE</c>; <c>platforms</c> and
/// <c>depends-on</c> are a list or one value.
/// </summary>
internal static class ImagesSection
{
    private static readonly string[] Keys = ["name", "image", "context", "dockerfile", "target", "build-args", "platforms", "template", "depends-on", "builder", "project"];

    public static IReadOnlyList<ImageConfig> Parse(YamlNode node, string source, string baseDirectory)
    {
        if (node is not YamlSequenceNode sequence)
        {
            throw new BadInputException($"{source}:{node.Start.Line}: 'images' must be a list of images such as '- name: api'");
        }

        var images = new List<ImageConfig>();
        foreach (var item in sequence.Children)
        {
            var image = ParseOne(item, source, baseDirectory);
            if (images.Any(other => other.Name == image.Name))
            {
                throw new BadInputException($"{source}:{item.Start.Line}: two images are named '{image.Name}'; names must be unique");
            }

            images.Add(image);
        }

        return images;
    }

    private static ImageConfig ParseOne(YamlNode node, string source, string baseDirectory)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw new BadInputException($"{source}:{node.Start.Line}: each entry of 'images' must be a mapping such as 'name: api'");
        }

        var scalars = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string> buildArgs = [], platforms = [], dependsOn = [];
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key is null || !Keys.Contains(key))
            {
                throw new BadInputException($"{source}:{keyNode.Start.Line}: unknown key '{keyNode}' in an image; the keys are {string.Join(", ", Keys)}");
            }

            switch (key)
            {
                case "build-args":
                    buildArgs = BuildArgs(valueNode, source);
                    break;
                case "platforms":
                    platforms = List(valueNode, source, key);
                    break;
                case "depends-on":
                    dependsOn = List(valueNode, source, key);
                    break;
                default:
                    if (Scalar(valueNode, source, key) is { } value)
                    {
                        scalars[key] = value;
                    }

                    break;
            }
        }

        var name = scalars.GetValueOrDefault("name")
            ?? throw new BadInputException($"{source}:{mapping.Start.Line}: an image without 'name'");
        return new ImageConfig
        {
            Name = name,
            Image = scalars.GetValueOrDefault("image"),
            Context = ReleaseConfigFile.RelativeTo(baseDirectory, scalars.GetValueOrDefault("context")),
            Dockerfile = ReleaseConfigFile.RelativeTo(baseDirectory, scalars.GetValueOrDefault("dockerfile")),
            Target = scalars.GetValueOrDefault("target"),
            Template = scalars.GetValueOrDefault("template"),
            Builder = scalars.GetValueOrDefault("builder"),
            Project = ReleaseConfigFile.RelativeTo(baseDirectory, scalars.GetValueOrDefault("project")),
            BuildArgs = buildArgs,
            Platforms = [.. platforms.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
            DependsOn = dependsOn,
            Source = $"{source}:{mapping.Start.Line}",
        };
    }

    private static string? Scalar(YamlNode node, string source, string key) =>
        node is YamlScalarNode scalar
            ? scalar.Value is { Length: > 0 } value && !(scalar.Style == ScalarStyle.Plain && value is "~" or "null") ? value : null
            : throw new BadInputException($"{source}:{node.Start.Line}: '{key}' must be a single value");

    private static IReadOnlyList<string> List(YamlNode node, string source, string key) => node switch
    {
        YamlScalarNode => Scalar(node, source, key) is { } one ? [one] : [],
        YamlSequenceNode sequence => [.. sequence.Children.Select(child => Scalar(child, source, key)).OfType<string>()],
        _ => throw new BadInputException($"{source}:{node.Start.Line}: '{key}' must be a list or a single value"),
    };

    private static IReadOnlyList<string> BuildArgs(YamlNode node, string source)
    {
        if (node is YamlMappingNode mapping)
        {
            return [.. mapping.Children.Select(pair => $"{Scalar(pair.Key, source, "build-args")}={Scalar(pair.Value, source, "build-args") ?? ""}")];
        }

        var list = List(node, source, "build-args");
        return list.FirstOrDefault(arg => !arg.Contains('=', StringComparison.Ordinal)) is { } bad
            ? throw new BadInputException($"{source}:{node.Start.Line}: build argument '{bad}' must be NAME=VALUE")
            : list;
    }
}
