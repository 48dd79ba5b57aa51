namespace TagForge.Testing;

/// <summary>
/// Runs the built <c>tagforge</c> (copied next to the test assembly by the project reference) as a process, the
/// way a user or a CI step does. The environment starts from a clean slate of CI variables so the machine's own
/// never leak into a test.
/// </summary>
public static class TagForgeCli
{
    /// <summary>Variables every CI system sets that a test must not inherit from the machine running it.</summary>
    private static readonly string[] CiVariables =
    [
        "CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_PATH", "GITHUB_EVENT_NAME", "GITHUB_ENV",
        "GITLAB_CI", "TF_BUILD", "JENKINS_URL", "JENKINS_HOME", "BUILD_NUMBER", "BUILD_URL", "GIT_COMMIT", "BRANCH_NAME", "CHANGE_ID",
        "CIRCLECI", "BITBUCKET_BUILD_NUMBER", "TEAMCITY_VERSION", "BUILDKITE", "SOURCE_DATE_EPOCH",
    ];

    /// <summary>
    /// Variables for a release: the machine's docker and registry settings cleared (each test says which builder and
    /// credentials it means), then <paramref name="extra"/>.
    /// </summary>
    public static Dictionary<string, string?> ReleaseEnvironment(params (string Name, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOCKER_BUILDKIT"] = null,
            ["TAGFORGE_DOCKER"] = null,
            ["TAGFORGE_REGISTRY_USERNAME"] = null,
            ["TAGFORGE_REGISTRY_PASSWORD"] = null,
            ["TAGFORGE_VERBOSE"] = null,
            ["DOCKER_HOST"] = null,
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "tagforge");

    public static Task<ProcessResult> RunAsync(
        IReadOnlyList<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null)
    {
        var merged = CiVariables.ToDictionary(name => name, _ => (string?)null);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            merged[name] = value;
        }

        return ProcessRunner.RunAsync(ExecutablePath, arguments, workingDirectory, merged, standardInput);
    }
}
