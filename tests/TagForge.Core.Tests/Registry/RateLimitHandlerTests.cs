using TagForge.Testing;
using TagForge.Values;

namespace TagForge.Registry;

/// <summary>The rate-limit warning, through a real <see cref="RegistryClient"/> against a stub registry (<see cref="StubHttpServer"/>).</summary>
public sealed class RateLimitHandlerTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static StubHttpServer Registry(string remainingHeader, string remaining, string? limit = null) =>
        StubHttpServer.Start(async (_, response) =>
        {
            response.Headers[remainingHeader] = remaining;
            if (limit is not null)
            {
                response.Headers[remainingHeader.Replace("remaining", "limit", StringComparison.OrdinalIgnoreCase)] = limit;
            }

            response.Headers["Docker-Content-Digest"] = Digest;
            await StubHttpServer.WriteAsync(response, 200, "", ManifestDocument.OciManifest);
        });

    [Theory]
    [InlineData("ratelimit-remaining", "5;w=21600", "100;w=21600")]
    [InlineData("RateLimit-Remaining", "3", null)]
    [InlineData("X-RateLimit-Remaining", "9", "100")]
    public async Task A_nearly_spent_quota_is_warned_about_once_per_registry(string header, string remaining, string? limit)
    {
        await using var stub = Registry(header, remaining, limit);
        var logger = new ListLogger();
        using var client = new RegistryClient(new RegistryClientOptions { MaxRetryAttempts = 0 }, logger);

        await client.HeadManifestAsync(ImageReference.Parse($"{stub.Host}/team/app:v1"), TestContext.Current.CancellationToken);
        await client.HeadManifestAsync(ImageReference.Parse($"{stub.Host}/team/app:v2"), TestContext.Current.CancellationToken);

        var warning = Assert.Single(logger.Messages, message => message.Contains("rate limit", StringComparison.Ordinal));
        Assert.Contains($"registry {stub.Host} says only {remaining.Split(';')[0]}", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quota_with_room_left_is_not_warned_about()
    {
        await using var stub = Registry("ratelimit-remaining", "76;w=21600", "100;w=21600");
        var logger = new ListLogger();
        using var client = new RegistryClient(new RegistryClientOptions { MaxRetryAttempts = 0 }, logger);

        await client.HeadManifestAsync(ImageReference.Parse($"{stub.Host}/team/app:v1"), TestContext.Current.CancellationToken);

        Assert.DoesNotContain(logger.Messages, message => message.Contains("rate limit", StringComparison.Ordinal));
    }
}
