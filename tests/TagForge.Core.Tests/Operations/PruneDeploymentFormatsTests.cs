using TagForge.Registry;
using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Operations;

/// <summary>
/// Real-world-shaped deployment files of every supported format as keep sets, referencing the kept image by tag, by
/// digest and untagged (latest); after <c>--apply</c> the registry must still hold the kept image and no longer the
/// other one. Needs: docker-registry.
/// </summary>
public sealed class PruneDeploymentFormatsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public enum Style
    {
        Tag,
        Digest,
        Untagged,
    }

    /// <summary>Files by format: (name, content) for a registry host, a repository path, and tag/digest suffix texts.</summary>
    private static IReadOnlyList<(string Name, string Content)> Files(string format, string name, string? tag, string? digest)
    {
        var image = name + (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);
        return format switch
        {
            "deployment" => [("deployment.yaml", $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels:\n    app: api\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      initContainers:\n      - name: migrate\n        image: busybox:1.36\n      containers:\n      - name: api\n        image: {image}\n        imagePullPolicy: IfNotPresent\n        ports:\n        - containerPort: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n  - port: 80\n")],
            "kustomization" => [
                ("base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api" + (tag is null && digest is null ? "" : ":" + (tag ?? "0.0")) + "\n"),
                ("overlays/prod/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources:\n- ../../base\nimages:\n- name: api\n  newName: " + name + (digest is not null ? "\n  digest: " + digest : tag is not null ? "\n  newTag: \"" + tag + "\"" : "") + "\n"),
            ],
            "compose" => [("compose.yaml", $"name: shop\nservices:\n  api:\n    image: {image}\n    restart: unless-stopped\n    ports:\n      - \"8080:8080\"\n    depends_on: [db]\n  db:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_PASSWORD: example\n")],
            "ecs" => [("taskdef.json", $"{{\n  \"family\": \"api\",\n  \"networkMode\": \"awsvpc\",\n  \"requiresCompatibilities\": [\"FARGATE\"],\n  \"cpu\": \"256\",\n  \"memory\": \"512\",\n  \"containerDefinitions\": [\n    {{\n      \"name\": \"api\",\n      \"image\": \"{image}\",\n      \"essential\": true,\n      \"portMappings\": [{{\"containerPort\": 8080, \"protocol\": \"tcp\"}}]\n    }},\n    {{\"name\": \"log_router\", \"image\": \"amazon/aws-for-fluent-bit:stable\", \"essential\": false}}\n  ]\n}}\n")],
            "dockerrun1" => [("Dockerrun.aws.json", $"{{\n  \"AWSEBDockerrunVersion\": \"1\",\n  \"Image\": {{\"Name\": \"{image}\", \"Update\": \"true\"}},\n  \"Ports\": [{{\"ContainerPort\": 8080}}]\n}}\n")],
            "dockerrun2" => [("Dockerrun.aws.json", $"{{\n  \"AWSEBDockerrunVersion\": 2,\n  \"containerDefinitions\": [\n    {{\"name\": \"api\", \"image\": \"{image}\", \"essential\": true, \"memory\": 256}}\n  ]\n}}\n")],
            "helm" => [("values.yaml", "replicaCount: 2\nimage:\n  repository: " + name + "\n  pullPolicy: IfNotPresent\n  tag: \"" + (tag ?? "") + "\"\n" + (digest is null ? "" : "  digest: " + digest + "\n") + "service:\n  type: ClusterIP\n  port: 80\n")],
            "helmrelease" => [("helmrelease.yaml", "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: api\n  namespace: prod\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: api\n      sourceRef:\n        kind: HelmRepository\n        name: shop\n  values:\n    image:\n      repository: " + name + "\n      tag: \"" + (tag ?? "") + "\"\n" + (digest is null ? "" : "      digest: " + digest + "\n"))],
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    public static TheoryData<string, Style> Cases()
    {
        var data = new TheoryData<string, Style>();
        foreach (var format in new[] { "deployment", "kustomization", "compose", "ecs", "dockerrun1", "dockerrun2", "helm", "helmrelease" })
        {
            foreach (var style in Enum.GetValues<Style>())
            {
                // A Helm chart without a tag renders its appVersion, which prune cannot read: refused (PruneKeepSetReaderTests).
                if (!(format is "helm" or "helmrelease" && style == Style.Untagged))
                {
                    data.Add(format, style);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_real_world_deployment_file_keeps_the_image_it_runs(string format, Style style)
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var client = new RegistryClient(new RegistryClientOptions { MaxRetryAttempts = 0 });
        using var directory = new TempDirectory("prune");
        var repo = ImageReference.Parse($"{registry.Host}/shop/api");
        var keptTag = style == Style.Untagged ? "latest" : "1.4.2";
        var kept = await RegistryImages.PushImageAsync(client, repo.With(keptTag, null), cancellationToken: Token);
        var other = await RegistryImages.PushImageAsync(client, repo.With("1.4.1", null), cancellationToken: Token);
        if (style == Style.Digest)
        {
            // By digest, the tag the file names may point elsewhere: the digest decides.
            await RegistryImages.PushImageAsync(client, repo.With("1.4.2", null), cancellationToken: Token);
        }

        var files = Files(format, repo.Name, style == Style.Untagged ? null : style == Style.Digest ? "1.4.2" : keptTag, style == Style.Digest ? kept.Digest.ToString() : null);
        foreach (var (name, content) in files)
        {
            directory.Write(name, content);
        }

        using var services = Samples.In(directory);
        var result = await PruneOperation.RunAsync(
            new PruneRequest { Repository = repo.Name, KeepPinned = [.. files.Select(file => file.Name)], Apply = true, Registry = new Services.RegistryAccess { MaxRetryAttempts = 0 } }, services, Token);

        Assert.NotNull(await client.HeadManifestAsync(repo.With(null, kept.Digest), Token));
        Assert.Null(await client.HeadManifestAsync(repo.With(null, other.Digest), Token));
        Assert.DoesNotContain(kept.Digest, result.Deleted);
    }
}
