namespace TagForge.Testing;

/// <summary>
/// What integration tests need from the machine. scripts/test.sh installs and starts them (docker.io, dockerd,
/// docker-registry) and exports these variables; a test that lacks one fails with the reason, never skips
/// silently.
/// </summary>
public static class Requirements
{
    /// <summary>The docker CLI tests use (TAGFORGE_TEST_DOCKER, default <c>docker</c> on PATH).</summary>
    public static string DockerCli => Environment.GetEnvironmentVariable("TAGFORGE_TEST_DOCKER") is { Length: > 0 } cli ? cli : "docker";

    /// <summary>The <c>docker-registry</c> binary (Debian's distribution registry).</summary>
    public static string RegistryBinary => Environment.GetEnvironmentVariable("TAGFORGE_TEST_REGISTRY_BIN") is { Length: > 0 } bin ? bin : "/usr/bin/docker-registry";

    /// <summary>The shared plain registry scripts/test.sh started (<c>127.0.0.1:PORT</c>), if any.</summary>
    public static string? SharedRegistry => Environment.GetEnvironmentVariable("TAGFORGE_TEST_REGISTRY") is { Length: > 0 } registry ? registry : null;
}
