using TagForge.Ecr;

namespace TagForge.Operations;

/// <summary>What <see cref="EcrLoginOperation"/> logs in to, and whether docker is logged in at all.</summary>
public sealed record EcrLoginRequest
{
    /// <summary>The registry host (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com</c>); the caller's own registry, from the token, when null.</summary>
    public string? Registry { get; init; }

    /// <summary>How ECR is recognised and reached (<c>--ecr</c>, <c>--region</c>, <c>--endpoint-url</c>); host detection and the standard endpoints when null.</summary>
    public EcrSettings? Ecr { get; init; }

    /// <summary>The docker CLI to log in; <c>TAGFORGE_DOCKER</c>, else <c>docker</c>, when null.</summary>
    public string? DockerExecutable { get; init; }

    /// <summary>Only fetch the registry login (to hand its password to another tool); docker is not run.</summary>
    public bool PasswordOnly { get; init; }
}
