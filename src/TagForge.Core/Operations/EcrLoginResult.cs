using TagForge.Ecr;

namespace TagForge.Operations;

/// <summary>The outcome of <see cref="EcrLoginOperation"/>. <see cref="object.ToString"/> never shows the password.</summary>
/// <param name="Server">The registry docker was (or, with <see cref="EcrLoginRequest.PasswordOnly"/>, would be) logged in to.</param>
/// <param name="Login">ECR's registry login: user <c>AWS</c>, the 12-hour password and when it expires.</param>
/// <param name="DockerLoggedIn">True when docker was logged in; false for <see cref="EcrLoginRequest.PasswordOnly"/>.</param>
public sealed record EcrLoginResult(string Server, EcrRegistryLogin Login, bool DockerLoggedIn);
