using TagForge.Registry;

namespace TagForge.Operations;

/// <summary>What <see cref="LoginOperation"/> did: never the secret.</summary>
/// <param name="Registry">The registry logged in to (<c>host[:port]</c>).</param>
/// <param name="User">The user stored (<c>AWS</c> for ECR).</param>
/// <param name="AuthFile">The file the credential was stored in.</param>
/// <param name="Endpoint">Where the registry answered; null for ECR, whose login ECR itself issued.</param>
/// <param name="Warning">Something that keeps the stored entry from being used everywhere (docker's credential helper), or that the registry did not ask for credentials.</param>
public sealed record LoginResult(string Registry, string User, string AuthFile, RegistryEndpoint? Endpoint, string? Warning);

/// <summary>What <see cref="LoginOperation.LogoutAsync"/> did.</summary>
/// <param name="Registry">The registry.</param>
/// <param name="AuthFile">The file looked at.</param>
/// <param name="Removed">False when the file held no entry for the registry (nothing changed).</param>
public sealed record LogoutResult(string Registry, string AuthFile, bool Removed);
