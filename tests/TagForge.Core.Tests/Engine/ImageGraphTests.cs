using TagForge.Config;
using TagForge.Errors;

namespace TagForge.Engine;

/// <summary>The dependency order of <c>images:</c>, the selection of <c>--only</c>, and the graph's faults.</summary>
public class ImageGraphTests
{
    private static ImageConfig Image(string name, params string[] dependsOn) => new() { Name = name, DependsOn = dependsOn };

    [Fact]
    public void Orders_every_image_after_the_ones_it_depends_on()
    {
        var ordered = ImageGraph.Select([Image("web", "api"), Image("api", "base"), Image("base"), Image("docs")], []);

        var names = ordered.Select(i => i.Name).ToList();
        Assert.Equal(4, names.Count);
        Assert.True(names.IndexOf("base") < names.IndexOf("api"));
        Assert.True(names.IndexOf("api") < names.IndexOf("web"));
    }

    [Fact]
    public void Only_selects_the_images_named_and_what_they_depend_on()
    {
        var ordered = ImageGraph.Select([Image("base"), Image("api", "base"), Image("web")], ["api"]);

        Assert.Equal(["base", "api"], ordered.Select(i => i.Name));
    }

    [Fact]
    public void A_cycle_is_refused_naming_it()
    {
        var error = Assert.Throws<BadInputException>(() => ImageGraph.Select([Image("a", "b"), Image("b", "c"), Image("c", "a")], []));

        Assert.Equal("images: depends-on has a cycle: a -> b -> c -> a", error.Message);
        Assert.Equal(ExitCode.BadInput, error.ExitCode);
    }

    [Fact]
    public void A_cycle_among_images_not_selected_is_still_refused()
    {
        var error = Assert.Throws<BadInputException>(() => ImageGraph.Select([Image("a"), Image("b", "b")], ["a"]));

        Assert.Contains("cycle: b -> b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_depends_on_is_refused_naming_the_images()
    {
        var error = Assert.Throws<BadInputException>(() => ImageGraph.Select([Image("api", "bsae"), Image("base")], []));

        Assert.Contains("image 'api' depends on 'bsae', which is not in images: (api, base)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_placeholder_outside_depends_on_is_refused()
    {
        var api = new ImageConfig { Name = "api", BuildArgs = ["BASE={image:base}"] };

        var error = Assert.Throws<BadInputException>(() => ImageGraph.Select([api, Image("base")], []));

        Assert.Contains("uses {image:base} in a build argument; add 'base' to its depends-on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_with_an_unknown_name_is_refused()
    {
        Assert.Contains("--only nope", Assert.Throws<BadInputException>(() => ImageGraph.Select([Image("a")], ["nope"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitutes_the_references_of_this_release()
    {
        Assert.Equal("BASE=r/base@sha256:1 and r/base@sha256:1", ImageGraph.Substitute("BASE={image:base} and {image:base}", new Dictionary<string, string> { ["base"] = "r/base@sha256:1" }));
    }
}
