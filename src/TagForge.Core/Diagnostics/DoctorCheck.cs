namespace TagForge.Diagnostics;

/// <summary>One check of <c>tagforge doctor</c>.</summary>
/// <param name="Name">What was checked: git, config, docker, registry, credentials.</param>
/// <param name="Status">How it came out.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">What to do, when it is not <see cref="CheckStatus.Ok"/>.</param>
public sealed record DoctorCheck(string Name, CheckStatus Status, string Detail, string? Fix = null);
