using System.Runtime.InteropServices;
using TagForge.IO;

namespace TagForge.Release;

/// <summary>Platform names (<c>os/arch[/variant]</c>): the list a request asks for, comparing two, and the engine's default.</summary>
public static class PlatformNames
{
    /// <summary>The platforms of <c>--platform a,b</c> (or <c>TAGFORGE_PLATFORM</c>, or <c>platform:</c>), in order, without blanks or repeats.</summary>
    public static IReadOnlyList<string> Split(string? platforms) =>
        platforms is null ? [] : [.. platforms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// True when <paramref name="built"/> (what an image's config says) is <paramref name="wanted"/>: the same os and
    /// architecture, and the same variant when both name one (<c>linux/arm64</c> is <c>linux/arm64/v8</c>).
    /// </summary>
    public static bool Same(string built, string wanted)
    {
        ArgumentNullException.ThrowIfNull(built);
        ArgumentNullException.ThrowIfNull(wanted);
        var a = built.Split('/');
        var b = wanted.Split('/');
        if (a.Length < 2 || b.Length < 2)
        {
            return string.Equals(built, wanted, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(a[0], b[0], StringComparison.OrdinalIgnoreCase)
            && string.Equals(a[1], b[1], StringComparison.OrdinalIgnoreCase)
            && (a.Length < 3 || b.Length < 3 || string.Equals(a[2], b[2], StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The platform a build gets when none is asked for: <c>DOCKER_DEFAULT_PLATFORM</c>, else the local engine's own
    /// (this machine's architecture: the engine is local unless <c>DOCKER_HOST</c> or a context says otherwise), else
    /// null when the engine is elsewhere (a remote engine answers for itself). Costs no process.
    /// </summary>
    public static string? EngineDefault(IEnvironmentVariables environment, IReadOnlyDictionary<string, string?>? dockerEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Read(string name) => dockerEnvironment is not null && dockerEnvironment.TryGetValue(name, out var value) ? value : environment.Read(name);
        if (Read("DOCKER_DEFAULT_PLATFORM") is { Length: > 0 } given)
        {
            return given;
        }

        if (Read("DOCKER_HOST") is { Length: > 0 } host && !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            return null;
        }

        if (Read("DOCKER_CONTEXT") is { Length: > 0 } context && context != "default")
        {
            return null;
        }

        return RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "linux/amd64",
            Architecture.Arm64 => "linux/arm64",
            Architecture.Arm => "linux/arm/v7",
            Architecture.X86 => "linux/386",
            Architecture.S390x => "linux/s390x",
            Architecture.Ppc64le => "linux/ppc64le",
            _ => null,
        };
    }
}
