using Microsoft.Extensions.Logging;
using TagForge.Ecr;
using TagForge.Containers;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Release;

/// <summary>
/// What <c>release</c> and <c>push</c> do for an ECR repository: check (or create, <c>--create-repo</c>) the
/// repository, warn once when its tags are MUTABLE, log the registry client and <c>docker push</c> in with
/// <c>GetAuthorizationToken</c> (so no prior <c>docker login</c> is needed), confirm the pushed digest with
/// <c>DescribeImages</c>, and turn ECR's refusal to move an IMMUTABLE tag into exit 3.
/// </summary>
public sealed class EcrRelease : IDisposable
{
    private readonly EcrRegistryAuthenticator _authenticator;
    private readonly ImageReference _repository;
    private readonly ILogger _logger;
    private bool _skipConfirmation;

    private EcrRelease(EcrRegistryAuthenticator authenticator, ImageReference repository, IEcrClient client, ILogger logger)
    {
        _authenticator = authenticator;
        _repository = repository;
        Client = client;
        _logger = logger;
    }

    /// <summary>The ECR API client for the image's registry.</summary>
    public IEcrClient Client { get; }

    /// <summary>
    /// The ECR support for releasing to <paramref name="image"/>, or <see langword="null"/> when its registry is not ECR
    /// (and <see cref="EcrSettings.Force"/> is off) or the image does not parse (the pipeline reports that).
    /// </summary>
    public static EcrRelease? For(
        string image,
        EcrSettings settings,
        IEnvironmentVariables environment,
        ILogger logger,
        IAwsCredentialSource? credentials = null,
        HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!ImageReference.TryParse(image, out var repository) || !settings.Applies(repository.Registry))
        {
            return null;
        }

        var authenticator = new EcrRegistryAuthenticator(settings, environment, credentials, http, logger: logger);
        var client = authenticator.ClientFor(repository.Registry);
        if (client is null)
        {
            authenticator.Dispose();
            return null;
        }

        return new EcrRelease(authenticator, repository, client, logger);
    }

    /// <summary>
    /// Checks the repository (creating it when <paramref name="createRepository"/>, with IMMUTABLE tags when
    /// <paramref name="immutableTags"/>), warns when it is MUTABLE, and returns <paramref name="request"/> with the ECR
    /// login as its credential (for the registry API and <c>docker push</c>) unless explicit credentials were given.
    /// </summary>
    public async Task<ReleaseRequest> PrepareAsync(ReleaseRequest request, bool createRepository, bool immutableTags = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SkipPush)
        {
            return request;
        }

        try
        {
            return await PrepareWithEcrAsync(request, createRepository, immutableTags, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCredentialsNotFoundException) when (request.Credential is not null && !createRepository)
        {
            // Registry credentials were given (--username/--password-stdin) and there are no AWS credentials: push
            // with those, without ECR's repository checks and digest confirmation.
            _logger.LogWarning("no AWS credentials: skipping ECR repository checks for {Image} and using the given registry credentials", request.Image);
            _skipConfirmation = true;
            return request;
        }
    }

    private async Task<ReleaseRequest> PrepareWithEcrAsync(ReleaseRequest request, bool createRepository, bool immutableTags, CancellationToken cancellationToken)
    {
        var name = _repository.Repository;
        EcrRepository repository;
        if (createRepository)
        {
            var ensured = await EcrRepositories.EnsureAsync(Client, name, immutableTags, scanOnPush: false, cancellationToken).ConfigureAwait(false);
            if (ensured.Created)
            {
                _logger.LogInformation("created ECR repository {Repository} ({Mutability} tags)", name, ensured.TagMutability);
            }

            repository = ensured.Repository;
        }
        else
        {
            repository = await Client.DescribeRepositoryAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new ExternalFailureException(
                    $"ECR repository '{name}' does not exist in {_repository.Registry} ({Client.Region}); pass --create-repo, or run 'tagforge ecr ensure-repo {name}'");
        }

        if (EcrRepositories.MutabilityWarning(repository, _repository.Registry) is { } warning)
        {
            _logger.LogWarning("{Warning}", warning);
        }

        var login = await _authenticator.GetAsync(_repository.Registry, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the ECR authenticator does not handle its own registry");
        return request with
        {
            Credential = request.Credential ?? new RegistryCredential(login.Username, login.Password),
            CredentialSource = request.CredentialSource ?? new EcrCredentialSource(_authenticator),
        };
    }

    /// <summary>Confirms with <c>DescribeImages</c> that ECR lists the released tag on the released digest.</summary>
    public async Task ConfirmAsync(ReleaseResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Digest is null || _skipConfirmation)
        {
            return;
        }

        await EcrImages.ConfirmPushedAsync(Client, _repository.Repository, result.Tag, Digest.Parse(result.Digest), cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("ECR DescribeImages lists {Repository}:{Tag} = {Digest}", _repository.Repository, result.Tag, result.Digest);
    }

    /// <summary>
    /// ECR's refusal of a push that would move an IMMUTABLE tag (docker prints <c>tag invalid: The image tag 'v1' already
    /// exists in the 'app' repository and cannot be overwritten because the repository is immutable.</c>) as exit 3
    /// with the overwrite guard's message; <see langword="null"/> for any other failure.
    /// </summary>
    public static EcrTagConflictException? AsTagConflict(ExternalFailureException failure, string repository, string tag)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var text = failure.Message + "\n" + (failure is DockerCommandException docker ? string.Join('\n', docker.OutputTail) : "");
        if (!text.Contains("cannot be overwritten because the repository is immutable", StringComparison.Ordinal)
            && !text.Contains("ImageTagAlreadyExistsException", StringComparison.Ordinal))
        {
            return null;
        }

        var named = System.Text.RegularExpressions.Regex.Match(text, "image tag '(?<tag>[^']+)'", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        var refusedTag = named.Success ? named.Groups["tag"].Value : tag;
        return new EcrTagConflictException(EcrTagConflictException.FormatMessage(repository, refusedTag, null, null), repository, refusedTag, null, null);
    }

    /// <inheritdoc />
    public void Dispose() => _authenticator.Dispose();
}
