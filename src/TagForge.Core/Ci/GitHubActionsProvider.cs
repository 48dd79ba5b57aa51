using System.Text.Json;
using TagForge.Errors;
using TagForge.IO;

namespace TagForge.Ci;

/// <summary>
/// GitHub Actions. On <c>pull_request</c> events the checkout is a synthetic merge commit
/// (<c>GITHUB_SHA</c>); the commit a person pushed is in the event payload, so it is read from there.
/// </summary>
public sealed class GitHubActionsProvider : ICiProvider
{
    /// <inheritdoc />
    public string Name => "github-actions";

    /// <inheritdoc />
    public bool IsActive(IEnvironmentVariables environment) => environment.Read("GITHUB_ACTIONS") == "true";

    /// <inheritdoc />
    public CiContext Read(IEnvironmentVariables environment)
    {
        var buildNumber = environment.Read("GITHUB_RUN_NUMBER");
        // A re-run keeps the run number; the attempt tells the re-runs apart.
        if (buildNumber is not null && environment.Read("GITHUB_RUN_ATTEMPT") is { } attempt && attempt != "1")
        {
            buildNumber = $"{buildNumber}.{attempt}";
        }

        var server = environment.Read("GITHUB_SERVER_URL") ?? "https://github.com";
        var repository = environment.Read("GITHUB_REPOSITORY");
        var runId = environment.Read("GITHUB_RUN_ID");
        var buildUrl = repository is not null && runId is not null ? $"{server}/{repository}/actions/runs/{runId}" : null;

        var context = new CiContext(
            Name,
            BuildNumber: buildNumber,
            Commit: environment.Read("GITHUB_SHA"),
            Branch: environment.Read("GITHUB_HEAD_REF") ?? BranchFromRef(environment),
            BuildUrl: buildUrl);

        return IsPullRequestEvent(environment.Read("GITHUB_EVENT_NAME")) && environment.Read("GITHUB_EVENT_PATH") is { } eventPath
            ? WithPullRequest(context, eventPath)
            : context;
    }

    private static string? BranchFromRef(IEnvironmentVariables environment) =>
        environment.Read("GITHUB_REF_TYPE") is null or "branch"
            ? environment.Read("GITHUB_REF_NAME") ?? CiVariables.ShortBranch(environment.Read("GITHUB_REF"))
            : null;

    private static bool IsPullRequestEvent(string? eventName) =>
        eventName is "pull_request" or "pull_request_target" or "pull_request_review" or "pull_request_review_comment";

    private static CiContext WithPullRequest(CiContext context, string eventPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(eventPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new BadInputException($"cannot read the GitHub event payload GITHUB_EVENT_PATH={eventPath}: {ex.Message}", ex);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("pull_request", out var pullRequest) || pullRequest.ValueKind != JsonValueKind.Object)
            {
                return context;
            }

            var head = pullRequest.TryGetProperty("head", out var h) && h.ValueKind == JsonValueKind.Object ? h : default;
            return context with
            {
                PullRequestHeadCommit = StringProperty(head, "sha") ?? context.PullRequestHeadCommit,
                Branch = StringProperty(head, "ref") ?? context.Branch,
                PullRequest = pullRequest.TryGetProperty("number", out var number) && number.ValueKind == JsonValueKind.Number
                    ? number.GetRawText()
                    : context.PullRequest,
            };
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
