using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Operations;

/// <summary>
/// What the keep set refuses, before any registry request (the repository is on a port nothing listens on), and the
/// forms found in the wild it understands. Needs nothing.
/// </summary>
public sealed class PruneKeepSetReaderTests
{
    private const string Repo = "127.0.0.1:9/shop/api";
    private const string Digest1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<BadInputException> RefusedAsync(TempDirectory directory, PruneRequest request)
    {
        using var services = Samples.In(directory);
        return await Assert.ThrowsAsync<BadInputException>(() => PruneOperation.RunAsync(request, services, Token));
    }

    private static PruneKeepSet Read(TempDirectory directory, params string[] keepPinned) => Read(directory, false, keepPinned);

    private static PruneKeepSet Read(TempDirectory directory, bool acceptUnreadable, params string[] keepPinned)
    {
        using var services = Samples.In(directory);
        var request = new PruneRequest { Repository = Repo, KeepPinned = keepPinned, AcceptUnreadable = acceptUnreadable };
        return new PruneKeepSetReader(request, services, Values.ImageReference.Parse(Repo)).Read();
    }

    [Theory]
    [InlineData("empty.yaml", "")]
    [InlineData("comments.yaml", "# helm template failed\n# nothing rendered\n")]
    public async Task A_keep_file_without_any_image_is_refused(string name, string content)
    {
        using var directory = new TempDirectory("prune");
        directory.Write(name, content);

        var error = await RefusedAsync(directory, new PruneRequest { Repository = Repo, KeepPinned = [name], Apply = true });

        Assert.Contains($"{name}: no image found in it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_directory_and_a_directory_without_deployment_files_are_refused()
    {
        using var directory = new TempDirectory("prune");
        Directory.CreateDirectory(directory.Combine("empty"));
        directory.Write("docs/README.md", "# not a deployment\n");

        var empty = await RefusedAsync(directory, new PruneRequest { Repository = Repo, KeepPinned = ["empty"], Apply = true });
        var docs = await RefusedAsync(directory, new PruneRequest { Repository = Repo, KeepPinned = ["docs"], Apply = true });

        Assert.Contains("empty: no image found in it", empty.Message, StringComparison.Ordinal);
        Assert.Contains("docs: no image found in it", docs.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_record_given_as_a_deployment_file_and_the_reverse_are_recognised_and_refused()
    {
        using var directory = new TempDirectory("prune");
        directory.Write("tagforge.json", Samples.RecordJson(Repo, Digest1));
        directory.Write("deploy.yaml", Samples.Pod($"{Repo}:1.0"));

        var record = await RefusedAsync(directory, new PruneRequest { Repository = Repo, KeepPinned = ["tagforge.json"], Apply = true });
        var deployment = await RefusedAsync(directory, new PruneRequest { Repository = Repo, KeepRecords = ["deploy.yaml"], Apply = true });

        Assert.Contains("tagforge.json is a TagForge build record, not a deployment file: give it to --keep-record", record.Message, StringComparison.Ordinal);
        Assert.Contains("deploy.yaml is a deployment file (Kubernetes), not a build record: give it to --keep-pinned", deployment.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: ${REGISTRY}/shop/api:1.0\n", 8)]
    [InlineData("compose.yaml", "services:\n  api:\n    image: 127.0.0.1:9/shop/api:${TAG}\n", 3)]
    [InlineData("values.yaml", "image:\n  repository: 127.0.0.1:9/shop/api\n  tag: \"\"\n", 2)]
    [InlineData("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\nimages:\n- name: api\n  newName: 127.0.0.1:9/shop/api\n", 7)]
    public async Task An_image_position_prune_cannot_resolve_is_refused_naming_file_and_line_unless_accepted(string name, string content, int line)
    {
        using var directory = new TempDirectory("prune");
        directory.Write(name, content);

        var error = await RefusedAsync(directory, new PruneRequest { Repository = Repo, KeepPinned = [name], Apply = true });
        var accepted = Read(directory, acceptUnreadable: true, name);

        Assert.StartsWith($"prune refuses: the keep set cannot be read ({name}:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("pass --accept-unreadable to prune anyway", error.Message, StringComparison.Ordinal);
        Assert.Empty(accepted.Tags);
        Assert.Empty(accepted.Digests);
        Assert.Contains("accepted by --accept-unreadable", Assert.Single(accepted.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Accept_unreadable_turns_the_refusal_into_a_warning()
    {
        using var directory = new TempDirectory("prune");
        directory.Write("values.yaml", "image:\n  repository: 127.0.0.1:9/shop/api\n  tag: \"\"\nsidecar:\n  image: 127.0.0.1:9/shop/api:1.0\n");
        using var services = Samples.In(directory);

        var keep = new PruneKeepSetReader(new PruneRequest { Repository = Repo, KeepPinned = ["values.yaml"], AcceptUnreadable = true }, services, Values.ImageReference.Parse(Repo)).Read();

        Assert.Equal(["1.0"], keep.Tags.Keys);
        Assert.StartsWith("values.yaml:2: ", Assert.Single(keep.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_defaults_are_taken_and_said()
    {
        using var directory = new TempDirectory("prune");
        directory.Write("compose.yaml", "services:\n  api:\n    image: ${REGISTRY:-127.0.0.1:9}/shop/api:${TAG-v1}\n  db:\n    image: postgres:16\n");

        var keep = Read(directory, "compose.yaml");

        Assert.Equal(["v1"], keep.Tags.Keys);
        Assert.Equal("compose.yaml:3: read '${REGISTRY:-127.0.0.1:9}/shop/api:${TAG-v1}' as '127.0.0.1:9/shop/api:v1', what docker compose pulls when the variables are unset", Assert.Single(keep.Warnings));
    }

    [Fact]
    public void A_helm_sha_key_a_digest_key_and_a_flux_helm_release_are_read()
    {
        using var directory = new TempDirectory("prune");
        var hex = new string('2', 64);
        directory.Write("values.yaml", $"prometheus:\n  image:\n    registry: 127.0.0.1:9\n    repository: shop/api\n    tag: v2.0\n    sha: {hex}\nother:\n  image:\n    repository: 127.0.0.1:9/shop/api\n    tag: v3\n    digest: {Digest1}\n");
        directory.Write("release.yaml", "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: api\nspec:\n  chart:\n    spec:\n      chart: api\n  values:\n    image:\n      repository: 127.0.0.1:9/shop/api\n      tag: \"4.1\"\n");

        var keep = Read(directory, "values.yaml", "release.yaml");

        Assert.Equal([Digest1, $"sha256:{hex}"], keep.Digests.Keys.Select(digest => digest.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["4.1"], keep.Tags.Keys);
        Assert.Equal(["tag used in release.yaml:11"], keep.Tags["4.1"]);
    }

    [Fact]
    public void A_kustomize_new_name_takes_its_tag_from_the_base_given_beside_it()
    {
        using var directory = new TempDirectory("prune");
        directory.Write("base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api:2.3\n");
        directory.Write("base/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n");
        directory.Write("prod/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\nimages:\n- name: api\n  newName: 127.0.0.1:9/shop/api\n");

        var keep = Read(directory, "prod/kustomization.yaml", "base");

        Assert.Equal(["2.3"], keep.Tags.Keys);
    }
}
