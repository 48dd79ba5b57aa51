using TagForge.IO;

namespace TagForge.Ci;

/// <summary>Bitbucket Pipelines (detected by its build number: it sets no CI=... marker of its own).</summary>
public sealed class BitbucketProvider : ICiProvider
{
    /// <inheritdoc />
    public string Name => "bitbucket";

    /// <inheritdoc />
    public bool IsActive(IEnvironmentVariables environment) => environment.Read("BITBUCKET_BUILD_NUMBER") is not null;

    /// <inheritdoc />
    public CiContext Read(IEnvironmentVariables environment)
    {
        var number = environment.Read("BITBUCKET_BUILD_NUMBER");
        var repository = environment.Read("BITBUCKET_REPO_FULL_NAME");
        return new CiContext(
            Name,
            BuildNumber: number,
            Commit: environment.Read("BITBUCKET_COMMIT"),
            Branch: environment.Read("BITBUCKET_BRANCH"),
            PullRequest: environment.Read("BITBUCKET_PR_ID"),
            BuildUrl: repository is not null ? $"https://bitbucket.org/{repository}/pipelines/results/{number}" : null);
    }
}
