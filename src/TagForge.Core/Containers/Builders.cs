using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Containers;

/// <summary>Names, parsing and detection of the builders.</summary>
public static class Builders
{
    /// <summary>The names <c>--builder</c> takes (buildx is not among them yet: see docs/builders.md).</summary>
    public static IReadOnlyList<string> Names { get; } = ["docker", "podman", "buildah", "dotnet"];

    /// <summary>The lower-case name of <paramref name="kind"/>.</summary>
    public static string Name(BuilderKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The builder named <paramref name="name"/>.</summary>
    /// <exception cref="BadInputException">An unknown name.</exception>
    public static BuilderKind Parse(string name, string optionName = "--builder") =>
        Enum.TryParse<BuilderKind>(name, ignoreCase: true, out var kind) && Names.Contains(name.ToLowerInvariant())
            ? kind
            : throw new BadInputException($"{optionName} '{name}': the builders are {string.Join(", ", Names)}");

    /// <summary>What to install (Debian package names) when <paramref name="kind"/>'s tool is missing.</summary>
    public static string InstallHint(BuilderKind kind) => kind switch
    {
        BuilderKind.Docker => "install docker (apt-get install docker.io)",
        BuilderKind.Podman => "install podman (apt-get install podman)",
        BuilderKind.Buildah => "install buildah (apt-get install buildah)",
        BuilderKind.Dotnet => "install the .NET SDK (8 or later; it has PublishContainer built in)",
        _ => "install the buildx plugin (apt-get install docker-buildx, or docker-buildx-plugin from Docker's repository)",
    };

    /// <summary>
    /// The builder to use when none is named: docker when its CLI is on PATH (or named by <c>TAGFORGE_DOCKER</c>),
    /// else podman, else buildah, else docker (whose missing CLI is then the error, saying what to install).
    /// Only PATH is looked at: no process is started.
    /// </summary>
    public static BuilderKind Detect(IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Read("TAGFORGE_DOCKER") is not null || OnPath(environment, "docker"))
        {
            return BuilderKind.Docker;
        }

        return OnPath(environment, "podman") ? BuilderKind.Podman
            : OnPath(environment, "buildah") ? BuilderKind.Buildah
            : BuilderKind.Docker;
    }

    /// <summary>Every builder whose tool is on PATH, for <c>doctor</c>.</summary>
    public static IReadOnlyList<BuilderKind> Installed(IEnvironmentVariables environment) =>
        [.. new[] { BuilderKind.Docker, BuilderKind.Podman, BuilderKind.Buildah, BuilderKind.Dotnet }.Where(kind => OnPath(environment, Name(kind)))];

    /// <summary>Whether <paramref name="executable"/> is a file in a PATH directory.</summary>
    public static bool OnPath(IEnvironmentVariables environment, string executable)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(executable);
        }

        var path = environment.Read("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(directory => File.Exists(Path.Combine(directory, executable)));
    }
}
