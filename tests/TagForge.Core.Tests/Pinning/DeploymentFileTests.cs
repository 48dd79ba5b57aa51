using System.Text;
using TagForge.Errors;

namespace TagForge.Pinning;

public sealed class DeploymentFileTests
{
    private static DeploymentFile Parse(string text, string name = "test.yaml") => DeploymentFile.Parse(name, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Invalid_yaml_names_the_file_line_and_column()
    {
        var error = Assert.Throws<BadInputException>(() => Parse("apiVersion: v1\nkind: Pod\nspec: [\n", "bad.yaml"));

        Assert.StartsWith("bad.yaml:4:1: invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_names_the_file_and_line()
    {
        var error = Assert.Throws<BadInputException>(() => Parse("{\n  \"containerDefinitions\": [\n    {\"image\": }\n  ]\n}", "task.json"));

        Assert.StartsWith("task.json: invalid JSON at line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_no_known_format_is_refused_with_the_formats_named()
    {
        var error = Assert.Throws<BadInputException>(() => Parse("name: ci\non: [push]\njobs: {}\n", "workflow.yaml"));

        Assert.Contains("workflow.yaml: not a deployment file", error.Message, StringComparison.Ordinal);
        Assert.Contains("Compose", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused()
    {
        var error = Assert.Throws<BadInputException>(() => DeploymentFile.Parse("latin1.yaml", [.. "image: caf"u8, 0xE9, (byte)'\n']));

        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_is_read_once_per_node()
    {
        var text = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n- &a0 {kind: Pod, spec: {containers: [{name: x, image: nginx}]}}\n");
        for (var i = 1; i < 30; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"- &a{i} [*a{i - 1}, *a{i - 1}]\n");
        }

        var file = Parse(text.ToString());

        Assert.Single(file.Images);
    }

    [Fact]
    public void Positions_count_characters_after_a_bom_and_multibyte_text()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"note\": \"Größe — 請求\", \"containerDefinitions\": [{\"image\": \"nginx\"}]}")).ToArray();

        var file = DeploymentFile.Parse("task.json", bytes);

        var site = Assert.Single(file.Images);
        Assert.Equal((1, 59), (site.Line, site.Column));
        Assert.True(file.Source.HasBom);
    }

    [Fact]
    public void Kubernetes_files_are_recognised_by_content_whatever_their_name()
    {
        var file = Parse("kind: Deployment\napiVersion: apps/v1\nspec:\n  template:\n    spec:\n      initContainers: [{name: i, image: busybox}]\n      containers: [{name: c, image: nginx}]\n", "notes.txt");

        Assert.Equal(DeploymentFormat.Kubernetes, file.Format);
        Assert.Equal(["busybox", "nginx"], file.Images.Select(site => site.Text));
    }

    [Fact]
    public void Compose_anchors_merged_into_several_services_count_once()
    {
        var file = Parse("x-base: &base\n  image: nginx:1\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n  c:\n    <<: *base\n    image: redis:7\n");

        Assert.Equal(["nginx:1", "redis:7"], file.Images.Select(site => site.Text));
    }

    [Fact]
    public void A_bare_array_of_container_definitions_is_an_ecs_task_definition()
    {
        var file = Parse("[\n  {\"name\": \"app\", \"image\": \"nginx:1\"},\n  {\"name\": \"log\", \"image\": \"fluent-bit\"}\n]\n", "containers.json");

        Assert.Equal(DeploymentFormat.EcsTaskDefinition, file.Format);
        Assert.Equal(["nginx:1", "fluent-bit"], file.Images.Select(site => site.Text));
    }
}
