using TagForge.IO;

namespace TagForge.Ci;

/// <summary>
/// Finds the CI system a build runs on. The list is explicit and ordered (no reflection scan): the first
/// provider whose marker variable is set wins, and a laptop is <see cref="CiContext.LocalProvider"/>.
/// </summary>
public static class CiDetector
{
    /// <summary>Every supported CI system, in the order they are tried.</summary>
    public static IReadOnlyList<ICiProvider> Providers { get; } =
    [
        new GitHubActionsProvider(),
        new GitLabProvider(),
        new AzurePipelinesProvider(),
        new BuildkiteProvider(),
        new CircleCiProvider(),
        new BitbucketProvider(),
        new TeamCityProvider(),
        // Last: Jenkins agents often leak JENKINS_HOME into tools started from other systems' jobs.
        new JenkinsProvider(),
    ];

    /// <summary>Reads the build's facts from the first CI system that is active, or a local context.</summary>
    public static CiContext Detect(IEnvironmentVariables environment)
    {
        foreach (var provider in Providers)
        {
            if (provider.IsActive(environment))
            {
                return provider.Read(environment);
            }
        }

        return new CiContext(CiContext.LocalProvider);
    }
}
