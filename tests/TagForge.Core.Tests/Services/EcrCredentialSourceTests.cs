using TagForge.Ecr;
using TagForge.IO;

namespace TagForge.Services;

public sealed class EcrCredentialSourceTests
{
    [Fact]
    public async Task Without_AWS_credentials_the_ECR_source_passes_an_ECR_host_on_to_dockers_config()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string>());
        using var authenticator = new EcrRegistryAuthenticator(new EcrSettings(), environment, new NoCredentials());
        var source = new EcrCredentialSource(authenticator);

        Assert.Null(await source.GetAsync("123456789012.dkr.ecr.eu-west-1.amazonaws.com", TestContext.Current.CancellationToken));
        Assert.Null(await source.GetAsync("ghcr.io", TestContext.Current.CancellationToken));
    }

    private sealed class NoCredentials : IAwsCredentialSource
    {
        public Task<AwsCredentials> GetAsync(CancellationToken cancellationToken = default) =>
            throw new AwsCredentialsNotFoundException("no AWS credentials found");
    }
}
