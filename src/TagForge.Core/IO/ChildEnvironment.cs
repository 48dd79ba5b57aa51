namespace TagForge.IO;

/// <summary>
/// The environment a child process (docker, a credential helper) is started with: this process's, minus TagForge's
/// own secret variables, plus the caller's additions. <c>TAGFORGE_REGISTRY_PASSWORD</c> is for TagForge, which hands
/// docker the credential through a throwaway config instead; docker never reads it, so a child never needs to see
/// it in <c>/proc/PID/environ</c>. Other secrets (AWS_*) are passed on: docker's credential helpers read them.
/// </summary>
public static class ChildEnvironment
{
    /// <summary>TagForge's own variables that hold a secret.</summary>
    public static IReadOnlyList<string> OwnSecretVariables { get; } = ["TAGFORGE_REGISTRY_PASSWORD"];

    /// <summary>
    /// The variables to set on a child (a null value removes one, as CliWrap and ProcessStartInfo read it):
    /// <paramref name="additions"/>, and every one of <see cref="OwnSecretVariables"/> removed.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> For(IReadOnlyDictionary<string, string?>? additions = null)
    {
        var environment = OwnSecretVariables.ToDictionary(name => name, _ => (string?)null, StringComparer.Ordinal);
        foreach (var (name, value) in additions ?? new Dictionary<string, string?>())
        {
            if (!environment.ContainsKey(name))
            {
                environment[name] = value;
            }
        }

        return environment;
    }
}
