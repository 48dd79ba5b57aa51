using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Containers;

/// <summary>
/// The .NET SDK's container publishing: <c>dotnet publish -t:PublishContainer</c> builds and pushes in one step, with no
/// Dockerfile and no daemon. The digest comes from the SDK's <c>GeneratedContainerDigest</c> property
/// (<c>-getProperty</c> written to <c>-getResultOutputFile</c>, so the build's own output still streams live), never
/// from the log. Credentials go through the SDK's environment variables; labels through a generated targets file.
/// </summary>
public sealed class DotnetPublisher : IBuilderTool
{
    /// <summary>The SDK's user-name variable (and its newer DOTNET_ spelling, set alike).</summary>
    public const string UsernameVariable = "SDK_CONTAINER_REGISTRY_UNAME";

    /// <summary>The SDK's password variable.</summary>
    public const string PasswordVariable = "SDK_CONTAINER_REGISTRY_PWORD";

    /// <summary>The SDK's list of plain-http registries.</summary>
    public const string InsecureVariable = "DOTNET_CONTAINER_INSECURE_REGISTRIES";

    private readonly ToolProcess _process;

    /// <summary>Creates the publisher (<c>dotnet</c> on PATH unless <paramref name="executable"/>).</summary>
    public DotnetPublisher(string? executable = null, ToolOptions? options = null, ILogger? logger = null) =>
        _process = new ToolProcess(executable ?? "dotnet", options ?? new ToolOptions(), logger ?? NullLogger.Instance, Failure, Missing);

    /// <inheritdoc />
    public BuilderKind Kind => BuilderKind.Dotnet;

    /// <inheritdoc />
    public string Executable => _process.Executable;

    /// <summary><c>dotnet publish</c>'s arguments, with its scratch files in <paramref name="scratch"/>.</summary>
    public static IReadOnlyList<string> Arguments(DotnetPublishRequest request, string scratch)
    {
        ArgumentNullException.ThrowIfNull(request);
        return
        [
            "publish", request.Project, "-t:PublishContainer",
            $"-p:ContainerRegistry={request.Registry}",
            $"-p:ContainerRepository={request.Repository}",
            $"-p:ContainerImageTag={request.Tag}",
            .. request.Labels.Count > 0 ? [$"-p:CustomAfterMicrosoftCommonTargets={Path.Combine(scratch, "tagforge-labels.targets")}"] : Array.Empty<string>(),
            "-getProperty:GeneratedContainerDigest",
            $"-getResultOutputFile:{Path.Combine(scratch, "digest")}",
            "-tl:off", "-v:m",
            .. request.ExtraArguments,
        ];
    }

    /// <summary>The variables the SDK reads: credentials and the plain-http registry.</summary>
    public static IReadOnlyDictionary<string, string?> Environment(DotnetPublishRequest request, string? insecureAlready)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (request.PlainHttp)
        {
            // The SDK splits the list on ';' (a ',' would make one entry that matches nothing, and the SDK would speak TLS).
            environment[InsecureVariable] = insecureAlready is not { Length: > 0 } list ? request.Registry
                : list.Split(';', StringSplitOptions.TrimEntries).Contains(request.Registry, StringComparer.OrdinalIgnoreCase) ? list
                : $"{list};{request.Registry}";
        }

        if (request.Credential is { HasPassword: true } credential)
        {
            environment[UsernameVariable] = credential.Username;
            environment[PasswordVariable] = credential.Password;
            environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = credential.Username;
            environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = credential.Password;
        }

        return environment;
    }

    /// <summary>Publishes and returns the digest the SDK pushed.</summary>
    /// <exception cref="BadInputException">No project, a project that does not exist, or one that is not a container-publishable app.</exception>
    /// <exception cref="ContainerToolException">The SDK failed; the message says why in one line.</exception>
    /// <remarks>A library publishes nothing and says nothing; the missing digest is what tells.</remarks>
    public async Task<Digest> PublishAsync(DotnetPublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!File.Exists(request.Project) && !Directory.Exists(request.Project))
        {
            throw new BadInputException($"the project {request.Project} does not exist; pass --project PATH to a .csproj (or its folder)");
        }

        var scratch = Directory.CreateTempSubdirectory("tagforge-dotnet-").FullName;
        try
        {
            if (request.Labels.Count > 0)
            {
                var targets = new XElement("Project", new XElement("ItemGroup",
                    request.Labels.Select(label => new XElement("ContainerLabel", new XAttribute("Include", label.Key), new XAttribute("Value", label.Value)))));
                await File.WriteAllTextAsync(Path.Combine(scratch, "tagforge-labels.targets"), targets.ToString(), cancellationToken).ConfigureAwait(false);
            }

            var secrets = request.Credential is { Password: { Length: > 0 } password } ? new[] { password } : [];
            await _process.RunStreamingAsync(
                "publish", Arguments(request, scratch), cancellationToken,
                Environment(request, System.Environment.GetEnvironmentVariable(InsecureVariable)), secrets).ConfigureAwait(false);
            var resultFile = Path.Combine(scratch, "digest");
            var text = File.Exists(resultFile) ? (await File.ReadAllTextAsync(resultFile, cancellationToken).ConfigureAwait(false)).Trim() : "";
            return Digest.TryParse(text, out var digest)
                ? digest
                : throw new BadInputException(
                    $"dotnet publish -t:PublishContainer pushed nothing for {request.Project} (no GeneratedContainerDigest): it is not an app the .NET SDK publishes as a container; an executable project (OutputType Exe) with <EnableSdkContainerSupport>true</EnableSdkContainerSupport> is");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <inheritdoc />
    public async Task<string> DescribeAsync(CancellationToken cancellationToken = default) =>
        $".NET SDK {(await _process.RunQuietAsync("--version", ["--version"], cancellationToken).ConfigureAwait(false)).Trim()} through {Executable} (dotnet publish -t:PublishContainer)";

    private ContainerToolException Missing(Exception ex) =>
        new($"cannot run dotnet ('{Executable}': {(ex.InnerException ?? ex).Message}); {Builders.InstallHint(BuilderKind.Dotnet)}, or choose another --builder", -1, [], ex);

    /// <summary>What failed: a project the SDK cannot publish as a container (bad input), the registry, or the build.</summary>
    private static Exception Failure(string verb, int exitCode, IReadOnlyList<string> tail)
    {
        var errors = tail.Select(line => line.Trim()).Where(line => line.Contains(" error ", StringComparison.OrdinalIgnoreCase) || line.StartsWith("error", StringComparison.OrdinalIgnoreCase)).ToList();
        var reason = Short(errors.FirstOrDefault() ?? tail.LastOrDefault(line => line.Trim().Length > 0) ?? "no output");
        if (errors.Any(line => line.Contains("MSB4057", StringComparison.Ordinal) || line.Contains("CONTAINER2012", StringComparison.Ordinal)
                || line.Contains("NETSDK1013", StringComparison.Ordinal) || line.Contains("EnableSdkContainerSupport", StringComparison.Ordinal)))
        {
            return new BadInputException($"the project is not an app the .NET SDK publishes as a container ({reason}); an executable project (OutputType Exe) with <EnableSdkContainerSupport>true</EnableSdkContainerSupport> is");
        }

        return new ContainerToolException($"dotnet {verb} -t:PublishContainer failed (exit code {exitCode}): {reason}", exitCode, tail);
    }

    /// <summary>An MSBuild error line without its file prefix and project suffix.</summary>
    private static string Short(string line)
    {
        var text = line.Trim();
        var error = text.IndexOf("error ", StringComparison.OrdinalIgnoreCase);
        if (error > 0)
        {
            text = text[error..];
        }

        var project = text.LastIndexOf(" [", StringComparison.Ordinal);
        return project > 0 && text.EndsWith(']') ? text[..project] : text;
    }
}
