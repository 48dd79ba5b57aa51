using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using TagForge.Containers;
using TagForge.Ecr;
using TagForge.Errors;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// What a release does on top of the pipeline for an ECR repository: check (or create, <c>--create-repo</c>) the
/// repository, warn once when its tags are MUTABLE, confirm the pushed digest with <c>DescribeImages</c>, and turn
/// ECR's refusal to move an IMMUTABLE tag into exit 3. The login itself is the registry client's credential chain
/// (<see cref="Services.RegistryClientFactory"/>), sharing this client's token.
/// </summary>
internal sealed class EcrReleaseSteps
{
    private readonly IEcrClient _client;
    private readonly ImageReference _repository;
    private readonly ILogger _logger;
    private bool _skipConfirmation;

    private EcrReleaseSteps(IEcrClient client, ImageReference repository, ILogger logger)
    {
        _client = client;
        _repository = repository;
        _logger = logger;
    }

    /// <summary>The ECR steps for <paramref name="repository"/>, or null when its registry is not ECR under the authenticator's settings.</summary>
    public static EcrReleaseSteps? For(ImageReference repository, EcrRegistryAuthenticator ecr, ILogger logger) =>
        ecr.ClientFor(repository.Registry) is { } client ? new EcrReleaseSteps(client, repository, logger) : null;

    /// <summary>Checks the repository (creating it when asked) and warns when it is MUTABLE.</summary>
    public async Task PrepareAsync(ReleaseRequest request, CancellationToken cancellationToken)
    {
        if (request.SkipPush)
        {
            return;
        }

        try
        {
            await CheckRepositoryAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCredentialsNotFoundException) when (request.Registry.Credential is not null && !request.CreateRepository)
        {
            // Registry credentials were given (--username/--password-stdin) and there are no AWS credentials: push
            // with those, without ECR's repository checks and digest confirmation.
            _logger.LogWarning("no AWS credentials: skipping ECR repository checks for {Image} and using the given registry credentials", request.Image);
            _skipConfirmation = true;
        }
    }

    private async Task CheckRepositoryAsync(ReleaseRequest request, CancellationToken cancellationToken)
    {
        var name = _repository.Repository;
        EcrRepository repository;
        if (request.CreateRepository)
        {
            var ensured = await EcrRepositories.EnsureAsync(_client, name, request.ImmutableTags, scanOnPush: false, cancellationToken).ConfigureAwait(false);
            if (ensured.Created)
            {
                _logger.LogInformation("created ECR repository {Repository} ({Mutability} tags)", name, ensured.TagMutability);
            }

            repository = ensured.Repository;
        }
        else
        {
            repository = await _client.DescribeRepositoryAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new ExternalFailureException(
                    $"ECR repository '{name}' does not exist in {_repository.Registry} ({_client.Region}); pass --create-repo, or run 'tagforge ecr ensure-repo {name}'");
        }

        if (EcrRepositories.MutabilityWarning(repository, _repository.Registry) is { } warning)
        {
            _logger.LogWarning("{Warning}", warning);
        }
    }

    /// <summary>Confirms with <c>DescribeImages</c> that ECR lists the released tag on the released digest.</summary>
    public async Task ConfirmAsync(ReleaseResult result, CancellationToken cancellationToken)
    {
        if (result.Digest is null || _skipConfirmation)
        {
            return;
        }

        await EcrImages.ConfirmPushedAsync(_client, _repository.Repository, result.Tag, Digest.Parse(result.Digest), cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("ECR DescribeImages lists {Repository}:{Tag} = {Digest}", _repository.Repository, result.Tag, result.Digest);
    }

    /// <summary>
    /// ECR's refusal of a push that would move an IMMUTABLE tag (docker prints <c>tag invalid: The image tag 'v1' already
    /// exists in the 'app' repository and cannot be overwritten because the repository is immutable.</c>) as exit 3
    /// with the overwrite guard's message; <see langword="null"/> for any other failure.
    /// </summary>
    public static EcrTagConflictException? AsTagConflict(ExternalFailureException failure, string repository, string tag)
    {
        var text = failure.Message + "\n" + (failure is DockerCommandException docker ? string.Join('\n', docker.OutputTail) : "");
        if (!text.Contains("cannot be overwritten because the repository is immutable", StringComparison.Ordinal)
            && !text.Contains("ImageTagAlreadyExistsException", StringComparison.Ordinal))
        {
            return null;
        }

        var named = Regex.Match(text, "image tag '(?<tag>[^']+)'", RegexOptions.None, TimeSpan.FromSeconds(1));
        var refusedTag = named.Success ? named.Groups["tag"].Value : tag;
        return new EcrTagConflictException(EcrTagConflictException.FormatMessage(repository, refusedTag, null, null), repository, refusedTag, null, null);
    }
}
