using TagForge.Errors;

namespace TagForge.Pinning;

/// <summary>Decides a file's format from its content and finds every image in it.</summary>
internal static class ImageLocator
{
    private static readonly string[] ContainerKeys = ["containers", "initContainers", "ephemeralContainers"];
    private static readonly string[] KustomizeKeys = ["name", "newName", "newTag", "digest"];
    private static readonly string[] HelmKeys = ["registry", "repository", "tag", "digest"];

    public static (DeploymentFormat Format, IReadOnlyList<ImageSite> Images, IReadOnlyList<Finding> Problems) Locate(string name, List<SyntaxNode> documents, SourceText source)
    {
        if (documents.Count == 0)
        {
            return (DeploymentFormat.Empty, [], []);
        }

        var sites = new Dictionary<int, ImageSite>();
        var problems = new Problems(name, source);
        var format = Detect(documents, name);
        FindDuplicates(documents, problems);
        switch (format)
        {
            case DeploymentFormat.Kubernetes:
                var seen = new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance);
                foreach (var document in documents)
                {
                    // A Flux HelmRelease carries Helm values inline: the chart renders their image blocks.
                    if (document is MappingNode release && release.GetText("kind") == "HelmRelease" && (release.Get("spec") as MappingNode)?.Get("values") is MappingNode values)
                    {
                        FindHelmImages(values, seen, sites, source, problems);
                    }

                    FindContainers(document, seen, sites, source, problems);
                }

                break;
            case DeploymentFormat.Kustomization:
                FindKustomizeImages((MappingNode)documents[0], sites, source, problems);
                break;
            case DeploymentFormat.Compose:
                foreach (var (_, service) in ((MappingNode)documents[0]).Get("services") is MappingNode services ? services.Pairs() : [])
                {
                    if (service is MappingNode serviceMap)
                    {
                        AddScalar(format, serviceMap, "image", sites, source, problems);
                    }
                }

                break;
            case DeploymentFormat.EcsTaskDefinition or DeploymentFormat.DockerrunV2:
                // Terraform's container_definitions file is the bare array.
                var definitions = documents[0] as SequenceNode
                    ?? (((MappingNode)documents[0]).Get("taskDefinition") as MappingNode ?? (MappingNode)documents[0]).Get("containerDefinitions") as SequenceNode;
                foreach (var container in definitions?.Items.OfType<MappingNode>() ?? [])
                {
                    AddScalar(format, container, "image", sites, source, problems);
                }

                break;
            case DeploymentFormat.DockerrunV1:
                if (((MappingNode)documents[0]).Get("Image") is MappingNode image)
                {
                    AddScalar(format, image, "Name", sites, source, problems);
                }

                break;
            case DeploymentFormat.HelmValues:
                FindHelmImages(documents[0], new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance), sites, source, problems);
                break;
        }

        // Most files hold one image: nothing to sort, and no sort's allocations for each of thousands of files.
        return (format, sites.Count < 2 ? [.. sites.Values] : [.. sites.Values.OrderBy(site => site.Line).ThenBy(site => site.Column)], problems.Sorted());
    }

    private static DeploymentFormat Detect(List<SyntaxNode> documents, string name)
    {
        if (documents.Any(document => document is MappingNode mapping && mapping.GetText("kind") is not null && mapping.GetText("apiVersion") is not null))
        {
            return documents[0] is MappingNode { } first && IsKustomization(first)
                ? DeploymentFormat.Kustomization
                : DeploymentFormat.Kubernetes;
        }

        if (documents[0] is SequenceNode containers && containers.Items.Count > 0
            && containers.Items.All(item => item is MappingNode container && container.Get("image") is ScalarNode && container.Get("name") is not null))
        {
            return DeploymentFormat.EcsTaskDefinition;
        }

        if (documents[0] is not MappingNode root)
        {
            throw Unknown(name, "its top level is not a mapping");
        }

        if (root.Get("AWSEBDockerrunVersion") is ScalarNode version)
        {
            return version.Value is "1" ? DeploymentFormat.DockerrunV1 : DeploymentFormat.DockerrunV2;
        }

        if (root.Get("containerDefinitions") is SequenceNode || (root.Get("taskDefinition") as MappingNode)?.Get("containerDefinitions") is SequenceNode)
        {
            return DeploymentFormat.EcsTaskDefinition;
        }

        if (root.Get("Image") is MappingNode dockerrunImage && dockerrunImage.Get("Name") is ScalarNode)
        {
            return DeploymentFormat.DockerrunV1;
        }

        if (root.Get("services") is MappingNode)
        {
            return DeploymentFormat.Compose;
        }

        if (root.Get("images") is SequenceNode images && images.Items.Any(item => item is MappingNode entry && entry.GetText("name") is not null)
            || root.Get("resources") is SequenceNode || root.Get("bases") is SequenceNode)
        {
            return DeploymentFormat.Kustomization;
        }

        var probe = new Dictionary<int, ImageSite>();
        FindHelmImages(root, new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance), probe, null, null);
        if (probe.Count > 0 || Path.GetFileName(name).StartsWith("values", StringComparison.OrdinalIgnoreCase))
        {
            return DeploymentFormat.HelmValues;
        }

        throw Unknown(name, "no apiVersion/kind, services, containerDefinitions, AWSEBDockerrunVersion, kustomization images or Helm image block");
    }

    /// <summary>
    /// A Kustomization, or a kustomize Component (<c>kustomize.config.k8s.io/v1alpha1</c>), which carries
    /// <c>images:</c> the same way.
    /// </summary>
    private static bool IsKustomization(MappingNode root) => root.GetText("kind") switch
    {
        "Kustomization" => true,
        "Component" => root.GetText("apiVersion")?.StartsWith("kustomize.config.k8s.io/", StringComparison.Ordinal) == true,
        _ => false,
    };

    private static BadInputException Unknown(string name, string why) => new(
        $"{name}: not a deployment file TagForge knows ({why}); it reads Kubernetes, kustomization, Compose, ECS task definition, Dockerrun.aws.json and Helm values files");

    private static void FindContainers(SyntaxNode node, HashSet<SyntaxNode> seen, Dictionary<int, ImageSite> sites, SourceText source, Problems problems)
    {
        // Aliases make a graph; visiting each node once also defuses "billion laughs" documents. A scalar holds
        // nothing to visit: only mappings and sequences are remembered (a smaller set for each of thousands of files).
        if (node is ScalarNode || !seen.Add(node))
        {
            return;
        }

        switch (node)
        {
            case MappingNode mapping:
                foreach (var (key, value) in mapping.Pairs())
                {
                    if (ContainerKeys.Contains(key) && value is SequenceNode containers)
                    {
                        foreach (var container in containers.Items.OfType<MappingNode>())
                        {
                            AddScalar(DeploymentFormat.Kubernetes, container, "image", sites, source, problems, container.GetText("imagePullPolicy"));
                        }
                    }
                    else
                    {
                        FindContainers(value, seen, sites, source, problems);
                    }
                }

                break;
            case SequenceNode sequence:
                foreach (var item in sequence.Items)
                {
                    FindContainers(item, seen, sites, source, problems);
                }

                break;
        }
    }

    private static void FindKustomizeImages(MappingNode root, Dictionary<int, ImageSite> sites, SourceText source, Problems problems)
    {
        foreach (var entry in (root.Get("images") as SequenceNode)?.Items.OfType<MappingNode>() ?? [])
        {
            if (entry.Get("name") is ScalarNode { IsNull: false } name)
            {
                var unreadable = KustomizeKeys
                    .Select(key => (Key: key, Node: entry.Get(key)))
                    .FirstOrDefault(pair => pair.Node is not null and not ScalarNode { IsNull: true } && Unreadable(pair.Node) is not null);
                if (unreadable.Node is not null)
                {
                    problems.Add(unreadable.Node, $"the kustomize image {unreadable.Key} is {Unreadable(unreadable.Node)}; TagForge cannot read or rewrite it");
                    continue;
                }

                sites.TryAdd(name.Start, KustomizeImageSite.Create(entry, name, source));
            }
        }
    }

    private static void FindHelmImages(SyntaxNode node, HashSet<SyntaxNode> seen, Dictionary<int, ImageSite> sites, SourceText? source, Problems? problems)
    {
        if (node is ScalarNode || !seen.Add(node))
        {
            return;
        }

        switch (node)
        {
            case MappingNode mapping when mapping.Get("repository") is ScalarNode { IsNull: false } repository
                && (mapping.Get("tag") is not null || mapping.Get("digest") is not null || mapping.Get("registry") is not null):
                var unreadable = HelmKeys
                    .Select(key => (Key: key, Node: mapping.Get(key)))
                    .FirstOrDefault(pair => pair.Node is not null and not ScalarNode { IsNull: true } && Unreadable(pair.Node) is not null);
                if (unreadable.Node is not null)
                {
                    problems?.Add(unreadable.Node, $"the image block's {unreadable.Key} is {Unreadable(unreadable.Node)}; TagForge cannot read or rewrite it");
                    break;
                }

                sites.TryAdd(repository.Start, source is null ? Placeholder : HelmImageSite.Create(mapping, repository, source));
                break;
            case MappingNode mapping:
                foreach (var (key, value) in mapping.Pairs())
                {
                    if (key == "image" && value is ScalarNode { IsNull: false } image && image.Value.Length > 0)
                    {
                        if (Unreadable(image) is { } why)
                        {
                            problems?.Add(image, $"the image is {why}; TagForge cannot read or rewrite it");
                        }
                        else
                        {
                            sites.TryAdd(image.Start, source is null ? Placeholder : Scalar(DeploymentFormat.HelmValues, image, mapping.IsFlow, source, null));
                        }
                    }
                    else
                    {
                        FindHelmImages(value, seen, sites, source, problems);
                    }
                }

                break;
            case SequenceNode sequence:
                foreach (var item in sequence.Items)
                {
                    FindHelmImages(item, seen, sites, source, problems);
                }

                break;
        }
    }

    /// <summary>Detection only counts sites; it has no source to position them in.</summary>
    private static ImageSite Placeholder => new ScalarImageSite(DeploymentFormat.HelmValues, new ScalarNode(0, 0, "", ScalarStyle.Plain), false, 0, 0);

    private static void AddScalar(DeploymentFormat format, MappingNode owner, string key, Dictionary<int, ImageSite> sites, SourceText source, Problems problems, string? pullPolicy = null)
    {
        switch (owner.Get(key))
        {
            case null or ScalarNode { IsNull: true }:
                break;
            case var node when Unreadable(node) is { } why:
                problems.Add(node, $"the {key} is {why}; TagForge cannot read or rewrite it");
                break;
            case ScalarNode value:
                sites.TryAdd(value.Start, Scalar(format, value, owner.IsFlow, source, pullPolicy));
                break;
        }
    }

    /// <summary>Why a value in an image position is not a string TagForge can read and rewrite, or null when it is.</summary>
    private static string? Unreadable(SyntaxNode node) => node switch
    {
        MappingNode => "a mapping, not a string",
        SequenceNode => "a sequence, not a string",
        ScalarNode { IsJsonNonString: true } scalar => $"the JSON value {scalar.Value}, not a string",
        ScalarNode { NotRewritable: { } why } => why,
        _ => null,
    };

    /// <summary>
    /// Reports keys written twice on the way to an image: a key whose values hold mappings or sequences (where
    /// images are), or one of the keys an image is read from. Readers disagree on which one counts (TagForge,
    /// AWS, jq and Python take the last; some YAML readers refuse), so neither is a silent choice.
    /// </summary>
    private static void FindDuplicates(List<SyntaxNode> documents, Problems problems)
    {
        var seen = new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<SyntaxNode>(documents);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is ScalarNode || !seen.Add(node))
            {
                continue;
            }

            switch (node)
            {
                case MappingNode mapping:
                    foreach (var (first, again) in mapping.Duplicates)
                    {
                        var values = mapping.Entries.Where(entry => entry.Key is ScalarNode key && key.Value == again.Value).Select(entry => entry.Value).ToList();
                        if (ImageKeys.Contains(again.Value) || values.Exists(value => value is MappingNode or SequenceNode))
                        {
                            problems.Add(again, $"the key '{again.Value}' is written twice in one mapping (a duplicate key; first at line {problems.LineOf(first)}); "
                                + "which one a deployment reads depends on the reader (AWS, jq and Python take the last), so TagForge does not choose: keep one",
                                "duplicate-key");
                        }
                    }

                    foreach (var (_, value) in mapping.Entries)
                    {
                        if (value is not ScalarNode)
                        {
                            pending.Push(value);
                        }
                    }

                    break;
                case SequenceNode sequence:
                    foreach (var item in sequence.Items)
                    {
                        if (item is not ScalarNode)
                        {
                            pending.Push(item);
                        }
                    }

                    break;
            }
        }
    }

    private static readonly HashSet<string> ImageKeys = new(StringComparer.Ordinal)
    {
        "image", "Image", "Name", "name", "newName", "newTag", "digest", "repository", "registry", "tag", "kind", "apiVersion", "AWSEBDockerrunVersion",
    };

    /// <summary>What the locator could not read, as error findings in file order.</summary>
    private sealed class Problems(string name, SourceText source)
    {
        private readonly List<Finding> _findings = [];

        public void Add(SyntaxNode node, string message, string code = "unreadable")
        {
            var (line, column) = source.Position(node.Start);
            _findings.Add(new Finding(name, line, column, FindingSeverity.Error, code, message, node is ScalarNode scalar ? scalar.Value : null));
        }

        public int LineOf(SyntaxNode node) => source.Position(node.Start).Line;

        public IReadOnlyList<Finding> Sorted() => _findings.Count < 2 ? [.. _findings] : [.. _findings.OrderBy(f => f.Line).ThenBy(f => f.Column)];
    }

    private static ScalarImageSite Scalar(DeploymentFormat format, ScalarNode value, bool inFlow, SourceText source, string? pullPolicy)
    {
        var (line, column) = source.Position(value.Start);
        return new ScalarImageSite(format, value, inFlow, line, column) { PullPolicy = pullPolicy };
    }
}
