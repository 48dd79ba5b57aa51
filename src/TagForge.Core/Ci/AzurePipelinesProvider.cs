using TagForge.IO;

namespace TagForge.Ci;

/// <summary>
/// Azure Pipelines. <c>BUILD_BUILDNUMBER</c> is a formatted string (often a date), so the build number is the
/// numeric <c>BUILD_BUILDID</c>.
/// </summary>
public sealed class AzurePipelinesProvider : ICiProvider
{
    /// <inheritdoc />
    public string Name => "azure-pipelines";

    /// <inheritdoc />
    public bool IsActive(IEnvironmentVariables environment) =>
        string.Equals(environment.Read("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public CiContext Read(IEnvironmentVariables environment)
    {
        var buildId = environment.Read("BUILD_BUILDID");
        var collection = environment.Read("SYSTEM_COLLECTIONURI");
        var project = environment.Read("SYSTEM_TEAMPROJECT");
        var buildUrl = buildId is not null && collection is not null && project is not null
            ? $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={buildId}"
            : null;

        return new CiContext(
            Name,
            BuildNumber: buildId,
            Commit: environment.Read("BUILD_SOURCEVERSION"),
            PullRequestHeadCommit: environment.Read("SYSTEM_PULLREQUEST_SOURCECOMMITID"),
            Branch: CiVariables.ShortBranch(environment.Read("SYSTEM_PULLREQUEST_SOURCEBRANCH") ?? environment.Read("BUILD_SOURCEBRANCH")),
            PullRequest: environment.Read("SYSTEM_PULLREQUEST_PULLREQUESTNUMBER") ?? environment.Read("SYSTEM_PULLREQUEST_PULLREQUESTID"),
            BuildUrl: buildUrl);
    }
}
