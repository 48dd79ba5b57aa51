using System.Text.RegularExpressions;
using TagForge.Testing;

namespace TagForge.Architecture;

/// <summary>
/// docs/architecture.md stays true: its layer table names exactly the folders of <see cref="LayerTests.Layers"/>, layer
/// by layer, every folder has its paragraph, and every folder of src/TagForge.Core is in the table.
/// </summary>
public sealed partial class ArchitectureDocTests
{
    private static readonly Lazy<string> Page = new(() => File.ReadAllText(Path.Combine(SourceTree.Root, "docs", "architecture.md")));

    [Fact]
    public void The_page_s_layer_table_names_the_folders_of_each_layer()
    {
        var rows = TableRow().Matches(Page.Value)
            .ToDictionary(match => int.Parse(match.Groups["layer"].Value, System.Globalization.CultureInfo.InvariantCulture), match => FolderName().Matches(match.Groups["folders"].Value).Select(folder => folder.Groups[1].Value).Order(StringComparer.Ordinal).ToArray());

        Assert.Equal(Enumerable.Range(0, LayerTests.Layers.Length), rows.Keys.Order());
        for (var layer = 0; layer < LayerTests.Layers.Length; layer++)
        {
            Assert.Equal(LayerTests.Layers[layer].Order(StringComparer.Ordinal), rows[layer]);
        }
    }

    [Fact]
    public void Every_folder_has_its_paragraph_on_the_page()
    {
        var missing = LayerTests.Layers.SelectMany(layer => layer).Where(folder => !Page.Value.Contains($"- **`{folder}`**", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"docs/architecture.md says nothing of {string.Join(", ", missing)} (a line starting '- **`Folder`**')");
    }

    [Fact]
    public void Every_folder_of_the_core_is_in_the_table()
    {
        var core = Path.Combine(SourceTree.Root, "src", "TagForge.Core");
        var folders = Directory.GetDirectories(core).Select(Path.GetFileName).Where(name => name is not ("bin" or "obj" or "Properties")).Where(name => Directory.EnumerateFiles(Path.Combine(core, name!), "*.cs", SearchOption.AllDirectories).Any());
        var known = LayerTests.Layers.SelectMany(layer => layer).ToHashSet(StringComparer.Ordinal);

        var unplaced = folders.Where(folder => !known.Contains(folder!)).ToList();

        Assert.True(unplaced.Count == 0, $"folders in no layer: {string.Join(", ", unplaced)}");
    }

    /// <summary>A row of the table: <c>| 2 | `Tagging`, `Registry`, `Content` | … |</c>.</summary>
    [GeneratedRegex(@"^\|\s*(?<layer>\d+)\s*\|(?<folders>[^|]*)\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`([A-Za-z]+)`")]
    private static partial Regex FolderName();
}
