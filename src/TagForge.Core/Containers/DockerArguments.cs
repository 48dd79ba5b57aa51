using System.Text;

namespace TagForge.Containers;

/// <summary>
/// The docker command lines TagForge runs, as data: the one renderer that <see cref="DockerCli"/> executes and
/// <c>release --dry-run</c> prints, so the plan shown is the command run. Secrets are never part of them (the
/// password of <c>login</c> goes to stdin).
/// </summary>
public static class DockerArguments
{
    /// <summary>
    /// <c>docker build</c> for <paramref name="request"/>, with its id file and any Dockerfile copy in
    /// <paramref name="scratchDirectory"/>. The classic builder turns every <c>--label</c> into its own LABEL step,
    /// each committing a container (about 200 ms apiece, the bulk of TagForge's overhead on a small image), so when
    /// the final stage is built (no <c>--target</c>) the labels go instead into ONE <c>LABEL</c> instruction appended
    /// to a copy of the Dockerfile: the same image config, one step.
    /// </summary>
    public static DockerBuildCommand Build(DockerBuildRequest request, string scratchDirectory)
    {
        ArgumentNullException.ThrowIfNull(request);
        var iidFile = Path.Combine(scratchDirectory, "iid");
        var labelsInCopy = request.Labels.Count > 0 && request.Target is null;
        var dockerfile = labelsInCopy ? Path.Combine(scratchDirectory, "Dockerfile") : request.DockerfilePath;
        List<string> arguments = ["build", "--iidfile", iidFile, "--file", dockerfile];
        AddBuildOptions(arguments, request, labels: !labelsInCopy);
        return new DockerBuildCommand(arguments, iidFile, labelsInCopy ? dockerfile : null, labelsInCopy ? LabelInstruction(request.Labels) : null);
    }

    /// <summary>
    /// The options every <c>build</c> flavour shares (docker, buildx), in this order: tags, build arguments, labels
    /// (unless they went into a Dockerfile copy), target, platform, <c>--pull</c>, the caller's extra arguments, the context last.
    /// </summary>
    internal static void AddBuildOptions(List<string> arguments, DockerBuildRequest request, bool labels = true)
    {
        foreach (var tag in request.Tags)
        {
            arguments.AddRange(["--tag", tag]);
        }

        foreach (var buildArg in request.BuildArgs)
        {
            arguments.AddRange(["--build-arg", buildArg]);
        }

        if (labels)
        {
            foreach (var (name, value) in request.Labels)
            {
                arguments.AddRange(["--label", $"{name}={value}"]);
            }
        }

        if (request.Target is { } target)
        {
            arguments.AddRange(["--target", target]);
        }

        if (request.Platform is { } platform)
        {
            arguments.AddRange(["--platform", platform]);
        }

        if (request.PullBases)
        {
            arguments.Add("--pull");
        }

        arguments.AddRange(request.ExtraArguments);
        arguments.Add(request.ContextPath);
    }

    /// <summary><c>docker [--config DIR] push IMAGE</c>.</summary>
    public static IReadOnlyList<string> Push(string image, string? configDirectory = null) => [.. Config(configDirectory), "push", image];

    /// <summary><c>docker [--config DIR] login --username USER --password-stdin REGISTRY</c>: the password goes to stdin.</summary>
    public static IReadOnlyList<string> Login(string registry, string username, string? configDirectory = null) =>
        [.. Config(configDirectory), "login", "--username", username, "--password-stdin", registry];

    /// <summary><c>docker tag SOURCE TARGET</c>.</summary>
    public static IReadOnlyList<string> Tag(string source, string target) => ["tag", source, target];

    /// <summary><c>docker rmi IMAGE…</c>.</summary>
    public static IReadOnlyList<string> Remove(IEnumerable<string> images) => ["rmi", .. images];

    private static string[] Config(string? configDirectory) => configDirectory is null ? [] : ["--config", configDirectory];

    internal static string LabelInstruction(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var label = new StringBuilder("LABEL");
        foreach (var (name, value) in labels)
        {
            label.Append(' ').Append(Quote(name)).Append('=').Append(Quote(value));
        }

        return label.ToString();

        static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
