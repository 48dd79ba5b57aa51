using TagForge.Errors;

namespace TagForge.Pinning;

/// <summary>Decides a file's format from its content and finds every image in it.</summary>
internal static class ImageLocator
{
    private static readonly string[] ContainerKeys = ["containers", "initContainers", "ephemeralContainers"];

    public static (DeploymentFormat Format, IReadOnlyList<ImageSite> Images) Locate(string name, List<SyntaxNode> documents, SourceText source)
    {
        if (documents.Count == 0)
        {
            return (DeploymentFormat.Empty, []);
        }

        var sites = new Dictionary<int, ImageSite>();
        var format = Detect(documents, name);
        switch (format)
        {
            case DeploymentFormat.Kubernetes:
                var seen = new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance);
                foreach (var document in documents)
                {
                    FindContainers(document, seen, sites, source);
                }

                break;
            case DeploymentFormat.Kustomization:
                FindKustomizeImages((MappingNode)documents[0], sites, source);
                break;
            case DeploymentFormat.Compose:
                foreach (var (_, service) in ((MappingNode)documents[0]).Get("services") is MappingNode services ? services.Pairs() : [])
                {
                    if (service is MappingNode serviceMap)
                    {
                        AddScalar(format, serviceMap, "image", sites, source);
                    }
                }

                break;
            case DeploymentFormat.EcsTaskDefinition or DeploymentFormat.DockerrunV2:
                // Terraform's container_definitions file is the bare array.
                var definitions = documents[0] as SequenceNode
                    ?? (((MappingNode)documents[0]).Get("taskDefinition") as MappingNode ?? (MappingNode)documents[0]).Get("containerDefinitions") as SequenceNode;
                foreach (var container in definitions?.Items.OfType<MappingNode>() ?? [])
                {
                    AddScalar(format, container, "image", sites, source);
                }

                break;
            case DeploymentFormat.DockerrunV1:
                if (((MappingNode)documents[0]).Get("Image") is MappingNode image)
                {
                    AddScalar(format, image, "Name", sites, source);
                }

                break;
            case DeploymentFormat.HelmValues:
                FindHelmImages(documents[0], new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance), sites, source);
                break;
        }

        return (format, [.. sites.Values.OrderBy(site => site.Line).ThenBy(site => site.Column)]);
    }

    private static DeploymentFormat Detect(List<SyntaxNode> documents, string name)
    {
        if (documents.Any(document => document is MappingNode mapping && mapping.GetText("kind") is not null && mapping.GetText("apiVersion") is not null))
        {
            return documents[0] is MappingNode { } first && first.GetText("kind") == "Kustomization"
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
        FindHelmImages(root, new HashSet<SyntaxNode>(ReferenceEqualityComparer.Instance), probe, null);
        if (probe.Count > 0 || Path.GetFileName(name).StartsWith("values", StringComparison.OrdinalIgnoreCase))
        {
            return DeploymentFormat.HelmValues;
        }

        throw Unknown(name, "no apiVersion/kind, services, containerDefinitions, AWSEBDockerrunVersion, kustomization images or Helm image block");
    }

    private static BadInputException Unknown(string name, string why) => new(
        $"{name}: not a deployment file TagForge knows ({why}); it reads Kubernetes, kustomization, Compose, ECS task definition, Dockerrun.aws.json and Helm values files");

    private static void FindContainers(SyntaxNode node, HashSet<SyntaxNode> seen, Dictionary<int, ImageSite> sites, SourceText source)
    {
        // Aliases make a graph; visiting each node once also defuses "billion laughs" documents.
        if (!seen.Add(node))
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
                            AddScalar(DeploymentFormat.Kubernetes, container, "image", sites, source, container.GetText("imagePullPolicy"));
                        }
                    }
                    else
                    {
                        FindContainers(value, seen, sites, source);
                    }
                }

                break;
            case SequenceNode sequence:
                foreach (var item in sequence.Items)
                {
                    FindContainers(item, seen, sites, source);
                }

                break;
        }
    }

    private static void FindKustomizeImages(MappingNode root, Dictionary<int, ImageSite> sites, SourceText source)
    {
        foreach (var entry in (root.Get("images") as SequenceNode)?.Items.OfType<MappingNode>() ?? [])
        {
            if (entry.Get("name") is ScalarNode { IsNull: false } name)
            {
                sites.TryAdd(name.Start, KustomizeImageSite.Create(entry, name, source));
            }
        }
    }

    private static void FindHelmImages(SyntaxNode node, HashSet<SyntaxNode> seen, Dictionary<int, ImageSite> sites, SourceText? source)
    {
        if (!seen.Add(node))
        {
            return;
        }

        switch (node)
        {
            case MappingNode mapping when mapping.Get("repository") is ScalarNode { IsNull: false, Style: not ScalarStyle.Block } repository
                && (mapping.Get("tag") is not null || mapping.Get("digest") is not null || mapping.Get("registry") is not null):
                sites.TryAdd(repository.Start, source is null ? Placeholder : HelmImageSite.Create(mapping, repository, source));
                break;
            case MappingNode mapping:
                foreach (var (key, value) in mapping.Pairs())
                {
                    if (key == "image" && value is ScalarNode { IsNull: false, Style: not ScalarStyle.Block } image && image.Value.Length > 0)
                    {
                        sites.TryAdd(image.Start, source is null ? Placeholder : Scalar(DeploymentFormat.HelmValues, image, mapping.IsFlow, source, null));
                    }
                    else
                    {
                        FindHelmImages(value, seen, sites, source);
                    }
                }

                break;
            case SequenceNode sequence:
                foreach (var item in sequence.Items)
                {
                    FindHelmImages(item, seen, sites, source);
                }

                break;
        }
    }

    /// <summary>Detection only counts sites; it has no source to position them in.</summary>
    private static ImageSite Placeholder => new ScalarImageSite(DeploymentFormat.HelmValues, new ScalarNode(0, 0, "", ScalarStyle.Plain), false, 0, 0);

    private static void AddScalar(DeploymentFormat format, MappingNode owner, string key, Dictionary<int, ImageSite> sites, SourceText source, string? pullPolicy = null)
    {
        if (owner.Get(key) is ScalarNode { IsNull: false } value && value.Style != ScalarStyle.Block)
        {
            sites.TryAdd(value.Start, Scalar(format, value, owner.IsFlow, source, pullPolicy));
        }
    }

    private static ScalarImageSite Scalar(DeploymentFormat format, ScalarNode value, bool inFlow, SourceText source, string? pullPolicy)
    {
        var (line, column) = source.Position(value.Start);
        return new ScalarImageSite(format, value, inFlow, line, column) { PullPolicy = pullPolicy };
    }
}
