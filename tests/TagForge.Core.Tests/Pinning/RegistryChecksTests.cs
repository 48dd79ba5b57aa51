using System.Text;
using TagForge.Registry;
using TagForge.Testing;

namespace TagForge.Pinning;

/// <summary>verify and resolve against a real registry. Needs: docker-registry (<see cref="LocalRegistry"/>).</summary>
public sealed class RegistryChecksTests
{
    private static readonly RegistryClient Client = new(new RegistryClientOptions { MaxRetryAttempts = 0 });

    private static DeploymentFile Manifest(string name, params string[] images) => DeploymentFile.Parse(name, Encoding.UTF8.GetBytes(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\nspec:\n  containers:\n" + string.Concat(images.Select((image, i) => $"  - name: c{i}\n    image: {image}  # keep me\n"))));

    [Fact]
    public async Task Verify_reports_a_deleted_digest_as_missing_with_its_line_and_passes_the_ones_that_exist()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var kept = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "kept");
        var deleted = await RegistryUploads.PushAsync(registry, "shop/api", "0.9", "deleted");
        await RegistryUploads.DeleteAsync(registry, "shop/api", deleted);
        var file = Manifest("deploy.yaml", $"{registry.Host}/shop/api:1.0@{kept}", $"{registry.Host}/shop/api@{deleted}", $"{registry.Host}/shop/api:unpinned");

        var result = await RegistryChecks.VerifyAsync([file], Client, cancellationToken: TestContext.Current.CancellationToken);

        var missing = Assert.Single(result.Findings);
        Assert.Equal(("deploy.yaml", 10, "missing"), (missing.File, missing.Line, missing.Code));
        Assert.Contains(deleted, missing.Message, StringComparison.Ordinal);
        Assert.Empty(result.Failures);
        Assert.Equal(2, result.Requests);
    }

    [Fact]
    public async Task Verify_never_calls_an_unreachable_registry_missing()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var digest = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "x");
        await registry.StopAsync();
        var file = Manifest("deploy.yaml", $"{registry.Host}/shop/api:1.0@{digest}");

        var result = await RegistryChecks.VerifyAsync([file], Client, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(result.Findings);
        var failure = Assert.Single(result.Failures);
        Assert.Equal("registry-error", failure.Code);
        Assert.Contains(registry.Host, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_pins_each_tag_to_the_digest_the_registry_holds_with_one_request_per_distinct_reference()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var api = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "api");
        var latest = await RegistryUploads.PushAsync(registry, "shop/web", "latest", "web");
        var file = Manifest("deploy.yaml", $"{registry.Host}/shop/api:1.0", $"{registry.Host}/shop/web", $"{registry.Host}/shop/api:1.0");

        var result = await RegistryChecks.ResolveAsync([file], Client, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Requests);
        Assert.Empty(result.Findings);
        var text = Assert.Single(result.Files).Text;
        Assert.Contains($"    image: {registry.Host}/shop/api:1.0@{api}  # keep me\n", text, StringComparison.Ordinal);
        Assert.Contains($"    image: {registry.Host}/shop/web@{latest}  # keep me\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_reports_a_tag_the_registry_does_not_have_and_leaves_it_alone()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await RegistryUploads.PushAsync(registry, "shop/api", "1.0", "api");
        var file = Manifest("deploy.yaml", $"{registry.Host}/shop/api:2.0");

        var result = await RegistryChecks.ResolveAsync([file], Client, cancellationToken: TestContext.Current.CancellationToken);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("not-found", 8), (finding.Code, finding.Line));
        Assert.False(Assert.Single(result.Files).Changed);
    }

    public static TheoryData<string, string> Formats() => new()
    {
        { "deploy.yaml", "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: a\n            image: HOST/shop/api:1.0\n" },
        { "kustomization.yaml", "images:\n- name: api\n  newName: HOST/shop/api\n  newTag: \"1.0\"\n" },
        { "compose.yaml", "x-api: &api\n  image: 'HOST/shop/api:1.0'\nservices:\n  api:\n    <<: *api\n" },
        { "task.json", "{\"containerDefinitions\": [{\"name\": \"api\", \"image\": \"HOST/shop/api:1.0\"}]}" },
        { "describe.json", "{\"taskDefinition\": {\"containerDefinitions\": [{\"image\": \"HOST/shop/api:1.0\"}]}}" },
        { "Dockerrun.aws.json", "{\"AWSEBDockerrunVersion\": \"1\", \"Image\": {\"Name\": \"HOST/shop/api:1.0\"}}" },
        { "Dockerrun-v2.aws.json", "{\"AWSEBDockerrunVersion\": 2, \"containerDefinitions\": [{\"image\": \"HOST/shop/api:1.0\"}]}" },
        { "values.yaml", "image:\n  registry: HOST\n  repository: shop/api\n  tag: \"1.0\"\n  digest: \"\"\n" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_format_is_resolved_then_verified_then_reported_missing_once_the_image_is_deleted(string name, string template)
    {
        await using var registry = await LocalRegistry.StartAsync();
        var digest = await RegistryUploads.PushAsync(registry, "shop/api", "1.0", name);
        var file = DeploymentFile.Parse(name, Encoding.UTF8.GetBytes(template.Replace("HOST", registry.Host, StringComparison.Ordinal)));
        var token = TestContext.Current.CancellationToken;

        var resolved = await RegistryChecks.ResolveAsync([file], Client, cancellationToken: token);
        var pinned = DeploymentFile.Parse(name, Encoding.UTF8.GetBytes(Assert.Single(resolved.Files).Text));
        var verified = await RegistryChecks.VerifyAsync([pinned], Client, cancellationToken: token);
        await RegistryUploads.DeleteAsync(registry, "shop/api", digest);
        var afterDelete = await RegistryChecks.VerifyAsync([pinned], Client, cancellationToken: token);

        Assert.Equal($"{registry.Host}/shop/api:1.0@{digest}", Assert.Single(pinned.Images).Text);
        Assert.Equal(1, verified.Requests);
        Assert.Empty(verified.Findings);
        Assert.Equal("missing", Assert.Single(afterDelete.Findings).Code);
        Assert.Empty(Linter.Lint(pinned));
    }
}
