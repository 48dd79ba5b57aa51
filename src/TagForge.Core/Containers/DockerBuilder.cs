using TagForge.Values;

namespace TagForge.Containers;

/// <summary>
/// The Docker CLI as a builder: <see cref="DockerCli"/> underneath, exactly as releases have always run it; explicit
/// credentials go to <c>docker login --password-stdin</c> into a throwaway <c>--config</c> that is deleted after the push.
/// </summary>
public sealed class DockerBuilder : IImageBuilder
{
    /// <summary>What stands for the throwaway docker config folder in a plan.</summary>
    public const string ConfigPlaceholder = "<temp-docker-config>";

    /// <summary>Wraps <paramref name="docker"/>.</summary>
    public DockerBuilder(DockerCli docker) => Docker = docker ?? throw new ArgumentNullException(nameof(docker));

    /// <summary>The docker CLI underneath.</summary>
    public DockerCli Docker { get; }

    /// <inheritdoc />
    public BuilderKind Kind => BuilderKind.Docker;

    /// <inheritdoc />
    public string Executable => Docker.Executable;

    /// <inheritdoc />
    public Task<string> BuildAsync(DockerBuildRequest request, CancellationToken cancellationToken = default) => Docker.BuildAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default) => Docker.GetImageIdAsync(image, cancellationToken);

    /// <inheritdoc />
    public async Task<string?> GetPlatformAsync(string image, CancellationToken cancellationToken = default) => await Docker.GetPlatformAsync(image, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task TagAsync(string source, string target, CancellationToken cancellationToken = default) => Docker.TagAsync(source, target, cancellationToken);

    /// <inheritdoc />
    public Task RemoveImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken = default) => Docker.RemoveImagesAsync(images, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Digest>> GetDigestsInAsync(string image, ImageReference repository, CancellationToken cancellationToken = default) =>
        Docker.GetDigestsInAsync(image, repository, cancellationToken);

    /// <inheritdoc />
    public async Task PushAsync(IReadOnlyList<string> images, PushTarget target, Action<string>? starting = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(target);
        string? config = null;
        try
        {
            if (target.Credential is { HasPassword: true } credential)
            {
                // A throwaway docker config: docker push gets the explicit credentials (through stdin) and the
                // user's own ~/.docker/config.json is never written.
                config = Directory.CreateTempSubdirectory("tagforge-docker-config-").FullName;
                await Docker.LoginAsync(target.Registry, credential, config, cancellationToken).ConfigureAwait(false);
            }

            foreach (var image in images)
            {
                starting?.Invoke(image);
                await Docker.PushAsync(image, config, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (config is not null)
            {
                Directory.Delete(config, recursive: true);
            }
        }
    }

    /// <inheritdoc />
    public async Task<string> DescribeAsync(CancellationToken cancellationToken = default) =>
        $"engine {await Docker.GetServerVersionAsync(cancellationToken).ConfigureAwait(false)} through {Executable}";

    /// <inheritdoc />
    public BuilderPlan Plan(DockerBuildRequest? build, IReadOnlyList<string> images, string imageIdPlaceholder, PushTarget? push, bool removeLocal, string scratch)
    {
        ArgumentNullException.ThrowIfNull(images);
        List<IReadOnlyList<string>> commands = [];
        string? labelInstruction = null;
        if (build is not null)
        {
            var rendered = DockerArguments.Build(build, scratch);
            commands.Add([Executable, .. rendered.Arguments]);
            labelInstruction = rendered.LabelInstruction;
        }

        foreach (var extra in images.Skip(1))
        {
            commands.Add([Executable, .. DockerArguments.Tag(imageIdPlaceholder, extra)]);
        }

        if (push is not null)
        {
            string? config = null;
            if (push.Credential is { HasPassword: true } credential)
            {
                config = ConfigPlaceholder;
                commands.Add([Executable, .. DockerArguments.Login(push.Registry, credential.Username!, config)]);
            }

            foreach (var image in images)
            {
                commands.Add([Executable, .. DockerArguments.Push(image, config)]);
            }
        }

        if (removeLocal)
        {
            commands.Add([Executable, .. DockerArguments.Remove(images)]);
        }

        return new BuilderPlan(commands, labelInstruction);
    }
}
