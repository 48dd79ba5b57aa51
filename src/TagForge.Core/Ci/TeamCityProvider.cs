using TagForge.IO;

namespace TagForge.Ci;

/// <summary>TeamCity. It passes no branch or build URL as environment variables unless a build configures them.</summary>
public sealed class TeamCityProvider : ICiProvider
{
    /// <inheritdoc />
    public string Name => "teamcity";

    /// <inheritdoc />
    public bool IsActive(IEnvironmentVariables environment) => environment.Read("TEAMCITY_VERSION") is not null;

    /// <inheritdoc />
    public CiContext Read(IEnvironmentVariables environment) => new(
        Name,
        BuildNumber: environment.Read("BUILD_NUMBER"),
        Commit: environment.Read("BUILD_VCS_NUMBER"),
        // Not set by TeamCity itself; the documented way is a parameter env.TEAMCITY_BUILD_BRANCH=%teamcity.build.branch%.
        Branch: CiVariables.ShortBranch(environment.Read("TEAMCITY_BUILD_BRANCH")),
        BuildUrl: environment.Read("BUILD_URL"));
}
