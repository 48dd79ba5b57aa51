namespace TagForge.Operations;

/// <summary>What <see cref="LintOperation"/> found: no tag, floating tags, no digest (errors), <c>imagePullPolicy: Always</c> (warnings).</summary>
public sealed record LintResult : DeploymentResult;
