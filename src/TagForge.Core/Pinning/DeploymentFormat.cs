namespace TagForge.Pinning;

/// <summary>The kinds of deployment file TagForge reads images from (detected from content).</summary>
public enum DeploymentFormat
{
    /// <summary>A file with no documents: nothing to pin.</summary>
    Empty,

    /// <summary>Kubernetes manifests (YAML or JSON, multi-document, <c>List</c> kinds): containers in any pod template.</summary>
    Kubernetes,

    /// <summary>A kustomization's <c>images:</c> entries.</summary>
    Kustomization,

    /// <summary>A Compose file's <c>services.*.image</c>.</summary>
    Compose,

    /// <summary>
    /// An ECS task definition, register-input or describe-output shape (<c>containerDefinitions[].image</c>), or a bare
    /// array of container definitions (Terraform's <c>container_definitions</c> file).
    /// </summary>
    EcsTaskDefinition,

    /// <summary>Elastic Beanstalk <c>Dockerrun.aws.json</c> version 1: <c>Image.Name</c>.</summary>
    DockerrunV1,

    /// <summary>Elastic Beanstalk <c>Dockerrun.aws.json</c> version 2: <c>containerDefinitions[].image</c>.</summary>
    DockerrunV2,

    /// <summary>Helm values: <c>repository</c>/<c>tag</c>/<c>digest</c> (and <c>registry</c>) blocks and <c>image:</c> strings.</summary>
    HelmValues,
}
