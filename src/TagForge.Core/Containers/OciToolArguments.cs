namespace TagForge.Containers;

/// <summary>
/// The podman and buildah command lines, as data: the one renderer the run executes and the dry run prints. Both tools
/// share their flags (<c>--iidfile</c>, <c>--label</c>, <c>--digestfile</c>, <c>--authfile</c>); buildah builds with
/// <c>bud</c>. Labels stay on the command line: neither tool commits a container per label. Secrets are never here
/// (credentials go in an <c>--authfile</c>, a private temporary file).
/// </summary>
public static class OciToolArguments
{
    /// <summary>The storage driver's global flag, or nothing.</summary>
    public static IReadOnlyList<string> Global(string? storageDriver) => storageDriver is null ? [] : ["--storage-driver", storageDriver];

    /// <summary>
    /// <c>podman build</c> / <c>buildah bud</c>, writing the image id to <c>SCRATCH/iid</c>. podman turns every
    /// <c>--label</c> into its own LABEL step, each committed as a layer (a full copy of the root filesystem with vfs),
    /// so for podman building the final stage the labels go into ONE <c>LABEL</c> line appended to a copy of the
    /// Dockerfile, as for docker's classic builder; buildah commits once (no layers) and takes them as flags.
    /// </summary>
    public static DockerBuildCommand Build(BuilderKind kind, string? storageDriver, DockerBuildRequest request, string scratchDirectory)
    {
        ArgumentNullException.ThrowIfNull(request);
        var iidFile = Path.Combine(scratchDirectory, "iid");
        var labelsInCopy = kind == BuilderKind.Podman && request.Labels.Count > 0 && request.Target is null;
        var dockerfile = labelsInCopy ? Path.Combine(scratchDirectory, "Dockerfile") : request.DockerfilePath;
        List<string> arguments = [.. Global(storageDriver), kind == BuilderKind.Buildah ? "bud" : "build", "--iidfile", iidFile, "--file", dockerfile];
        foreach (var tag in request.Tags)
        {
            arguments.AddRange(["--tag", tag]);
        }

        foreach (var buildArg in request.BuildArgs)
        {
            arguments.AddRange(["--build-arg", buildArg]);
        }

        foreach (var (name, value) in labelsInCopy ? [] : request.Labels)
        {
            arguments.AddRange(["--label", $"{name}={value}"]);
        }

        if (request.Target is { } target)
        {
            arguments.AddRange(["--target", target]);
        }

        if (request.Platform is { } platform)
        {
            arguments.AddRange(["--platform", platform]);
        }

        if (request.SourceDateEpoch is { } epoch)
        {
            // Created time and every file's time set to the commit's: the same commit rebuilds to the same digest.
            arguments.AddRange(["--timestamp", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(request.ExtraArguments);
        arguments.Add(request.ContextPath);
        return new DockerBuildCommand(arguments, iidFile, labelsInCopy ? dockerfile : null, labelsInCopy ? DockerArguments.LabelInstruction(request.Labels) : null);
    }

    /// <summary><c>push [--authfile F] [--tls-verify=false] --digestfile D IMAGE</c>.</summary>
    public static IReadOnlyList<string> Push(string? storageDriver, string image, string digestFile, string? authFile, bool plainHttp) =>
    [
        .. Global(storageDriver), "push",
        .. authFile is null ? Array.Empty<string>() : ["--authfile", authFile],
        .. plainHttp ? ["--tls-verify=false"] : Array.Empty<string>(),
        "--digestfile", digestFile, image,
    ];

    /// <summary><c>tag SOURCE TARGET</c>.</summary>
    public static IReadOnlyList<string> Tag(string? storageDriver, string source, string target) => [.. Global(storageDriver), "tag", source, target];

    /// <summary><c>rmi IMAGE…</c>.</summary>
    public static IReadOnlyList<string> Remove(string? storageDriver, IEnumerable<string> images) => [.. Global(storageDriver), "rmi", .. images];

    /// <summary><c>images --format {{.ID}} --no-trunc IMAGE</c>: the full id.</summary>
    public static IReadOnlyList<string> ImageId(string? storageDriver, string image) => [.. Global(storageDriver), "images", "--format", "{{.ID}}", "--no-trunc", image];
}
