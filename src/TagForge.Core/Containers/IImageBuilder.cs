using TagForge.Values;

namespace TagForge.Containers;

/// <summary>
/// A builder that builds into local storage and pushes from there (docker, podman, buildah): what a release asks of
/// it, whichever tool it is. The tag, the overwrite guard, the registry's confirmation and the record are the
/// release's own and the same for every builder; a builder only builds, names, pushes and says what it pushed.
/// </summary>
public interface IImageBuilder : IBuilderTool
{

    /// <summary>Builds and returns the image id (<c>sha256:…</c>, the config digest), from <c>--iidfile</c>.</summary>
    Task<string> BuildAsync(DockerBuildRequest request, CancellationToken cancellationToken = default);

    /// <summary>The id of the local image <paramref name="image"/>.</summary>
    Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default);

    /// <summary>
    /// The platform the local image <paramref name="image"/> says it is for (<c>os/arch[/variant]</c>, from its
    /// config), or null when this builder cannot say: checked against the platform asked for before anything is pushed.
    /// </summary>
    Task<string?> GetPlatformAsync(string image, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    /// <summary>Adds the name <paramref name="target"/> to <paramref name="source"/>.</summary>
    Task TagAsync(string source, string target, CancellationToken cancellationToken = default);

    /// <summary>Removes local names.</summary>
    Task RemoveImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken = default);

    /// <summary>The manifest digests <paramref name="image"/> is known to have in <paramref name="repository"/> (pushed or pulled); empty when none.</summary>
    Task<IReadOnlyList<Digest>> GetDigestsInAsync(string image, ImageReference repository, CancellationToken cancellationToken = default);

    /// <summary>Pushes every image in order, with <paramref name="target"/>'s credentials handed over without argv; <paramref name="starting"/> hears each image as its push starts.</summary>
    Task PushAsync(IReadOnlyList<string> images, PushTarget target, Action<string>? starting = null, CancellationToken cancellationToken = default);

    /// <summary>The commands a release runs, rendered by the same code as the run (the plan of <c>--dry-run</c>), each starting with the executable.</summary>
    BuilderPlan Plan(DockerBuildRequest? build, IReadOnlyList<string> images, string imageIdPlaceholder, PushTarget? push, bool removeLocal, string scratch);
}

/// <summary>Where and how a push goes.</summary>
/// <param name="Registry">The registry host.</param>
/// <param name="Credential">Credentials to hand to the tool (through stdin or a private file), or null for the tool's own login.</param>
/// <param name="PlainHttp">The registry speaks plain http (loopback, <c>--insecure-registry</c>).</param>
public sealed record PushTarget(string Registry, RegistryCredential? Credential, bool PlainHttp);

/// <summary>A rendered release for the dry run.</summary>
/// <param name="Commands">The commands in order.</param>
/// <param name="LabelInstruction">The <c>LABEL</c> line a Dockerfile copy gets (docker's classic builder), or null.</param>
public sealed record BuilderPlan(IReadOnlyList<IReadOnlyList<string>> Commands, string? LabelInstruction);
