using System.Text.RegularExpressions;
using TagForge.Config;
using TagForge.Errors;

namespace TagForge.Engine;

/// <summary>
/// The images of <c>images:</c> as a dependency graph: checks every <c>depends-on</c> and <c>{image:NAME}</c> names a
/// known image, refuses cycles (naming one), and selects what a release builds: everything, or the images asked
/// for with what they depend on (their <c>{image:NAME}</c> needs this release's digest).
/// </summary>
public static partial class ImageGraph
{
    /// <summary>The images to release, in a dependency order (every image after the ones it depends on).</summary>
    /// <exception cref="BadInputException">An unknown name, an unknown <c>depends-on</c>, an <c>{image:NAME}</c> outside <c>depends-on</c>, or a cycle (exit 2).</exception>
    public static IReadOnlyList<ImageConfig> Select(IReadOnlyList<ImageConfig> images, IReadOnlyList<string> only)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(only);
        var byName = images.ToDictionary(image => image.Name, StringComparer.Ordinal);
        foreach (var image in images)
        {
            foreach (var dependency in image.DependsOn)
            {
                if (!byName.ContainsKey(dependency))
                {
                    throw new BadInputException($"{image.Source ?? image.Name}: image '{image.Name}' depends on '{dependency}', which is not in images: ({string.Join(", ", byName.Keys)})");
                }
            }

            foreach (var reference in References(image))
            {
                if (!image.DependsOn.Contains(reference))
                {
                    throw new BadInputException($"{image.Source ?? image.Name}: image '{image.Name}' uses {{image:{reference}}} in a build argument; add '{reference}' to its depends-on");
                }
            }
        }

        var ordered = new List<ImageConfig>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = on the path, true = done
        var path = new List<string>();
        foreach (var image in images)
        {
            // Every image, selected or not: a cycle anywhere is a broken config.
            Visit(image.Name);
        }

        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in only.Count == 0 ? images.Select(image => image.Name) : only)
        {
            if (!byName.ContainsKey(name))
            {
                throw new BadInputException($"--only {name}: no image of that name in images: ({string.Join(", ", byName.Keys)})");
            }

            AddWithDependencies(name);
        }

        return [.. ordered.Where(image => selected.Contains(image.Name))];

        void AddWithDependencies(string name)
        {
            if (selected.Add(name))
            {
                foreach (var dependency in byName[name].DependsOn)
                {
                    AddWithDependencies(dependency);
                }
            }
        }

        void Visit(string name)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    var start = path.IndexOf(name);
                    throw new BadInputException($"images: depends-on has a cycle: {string.Join(" -> ", path[start..])} -> {name}");
                }

                return;
            }

            state[name] = false;
            path.Add(name);
            foreach (var dependency in byName[name].DependsOn)
            {
                Visit(dependency);
            }

            path.RemoveAt(path.Count - 1);
            state[name] = true;
            ordered.Add(byName[name]);
        }
    }

    /// <summary>The names <c>{image:NAME}</c> refers to in <paramref name="image"/>'s build arguments.</summary>
    public static IEnumerable<string> References(ImageConfig image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.BuildArgs.SelectMany(arg => ImagePlaceholder().Matches(arg).Select(match => match.Groups[1].Value)).Distinct();
    }

    /// <summary><paramref name="buildArg"/> with every <c>{image:NAME}</c> replaced by NAME's <c>repository@digest</c>.</summary>
    public static string Substitute(string buildArg, IReadOnlyDictionary<string, string> references) =>
        ImagePlaceholder().Replace(buildArg, match => references[match.Groups[1].Value]);

    [GeneratedRegex(@"\{image:([^}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex ImagePlaceholder();
}
