using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using TagForge.Errors;

namespace TagForge.Ecr;

/// <summary>
/// ECR's JSON 1.1 API over <see cref="HttpClient"/>: requests are <c>POST /</c> with
/// <c>X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.&lt;Operation&gt;</c>, signed with AWSSDK.Core's SigV4
/// signer; throttling and 5xx answers are retried with Polly.
/// </summary>
public sealed class EcrClient : IEcrClient, IDisposable
{
    private const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";
    private const string ContentType = "application/x-amz-json-1.1";
    private const string SigningService = "ecr";

    private readonly EcrClientOptions _options;
    private readonly IAwsCredentialSource _credentials;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates a client. <paramref name="http"/> is not disposed by the client when given.</summary>
    public EcrClient(EcrClientOptions options, IAwsCredentialSource credentials, HttpClient? http = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _credentials = credentials;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = options.RequestTimeout };
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _retry = options.MaxRetryAttempts <= 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder()
                        .Handle<EcrServiceException>(ex => ex.IsRetryable)
                        .Handle<HttpRequestException>(),
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    Delay = options.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    OnRetry = args =>
                    {
                        _logger.LogWarning(
                            "ECR at {Endpoint} answered {Problem}; retry {Attempt} of {Max} in {Delay:0.0}s",
                            _options.Endpoint.Host,
                            args.Outcome.Exception is EcrServiceException ecr ? ecr.ErrorType : args.Outcome.Exception?.GetType().Name,
                            args.AttemptNumber + 1,
                            options.MaxRetryAttempts,
                            args.RetryDelay.TotalSeconds);
                        return default;
                    },
                })
                .Build();
    }

    /// <inheritdoc />
    public string Region => _options.Region;

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _options.Endpoint;

    /// <inheritdoc />
    public async Task<EcrAuthorizationData> GetAuthorizationTokenAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            "GetAuthorizationToken",
            new GetAuthorizationTokenRequest(_options.RegistryId is null ? null : [_options.RegistryId]),
            EcrJsonContext.Default.GetAuthorizationTokenRequest,
            EcrJsonContext.Default.GetAuthorizationTokenResponse,
            repository: null,
            cancellationToken).ConfigureAwait(false);
        return response.AuthorizationData is [var data, ..]
            ? data
            : throw new ExternalFailureException($"ECR GetAuthorizationToken at {_options.Endpoint.Host} returned no authorization data");
    }

    /// <inheritdoc />
    public async Task<EcrRepository?> DescribeRepositoryAsync(string repositoryName, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await CallAsync(
                "DescribeRepositories",
                new DescribeRepositoriesRequest(_options.RegistryId, [repositoryName]),
                EcrJsonContext.Default.DescribeRepositoriesRequest,
                EcrJsonContext.Default.DescribeRepositoriesResponse,
                repositoryName,
                cancellationToken).ConfigureAwait(false);
            return response.Repositories?.FirstOrDefault(repository => repository.RepositoryName == repositoryName);
        }
        catch (EcrServiceException ex) when (ex.ErrorType == "RepositoryNotFoundException")
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<EcrRepository> CreateRepositoryAsync(string repositoryName, bool immutableTags, bool scanOnPush, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            "CreateRepository",
            new CreateRepositoryRequest(_options.RegistryId, repositoryName, immutableTags ? "IMMUTABLE" : "MUTABLE", new EcrScanningConfiguration(scanOnPush)),
            EcrJsonContext.Default.CreateRepositoryRequest,
            EcrJsonContext.Default.CreateRepositoryResponse,
            repositoryName,
            cancellationToken).ConfigureAwait(false);
        return response.Repository;
    }

    /// <inheritdoc />
    public async Task<EcrImageDetail?> DescribeImageAsync(string repositoryName, EcrImageId imageId, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await CallAsync(
                "DescribeImages",
                new DescribeImagesRequest(_options.RegistryId, repositoryName, [imageId]),
                EcrJsonContext.Default.DescribeImagesRequest,
                EcrJsonContext.Default.DescribeImagesResponse,
                repositoryName,
                cancellationToken).ConfigureAwait(false);
            return response.ImageDetails is [var detail, ..] ? detail : null;
        }
        catch (EcrServiceException ex) when (ex.ErrorType == "ImageNotFoundException")
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<EcrImage?> GetImageAsync(string repositoryName, EcrImageId imageId, IReadOnlyList<string>? acceptedMediaTypes = null, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            "BatchGetImage",
            new BatchGetImageRequest(_options.RegistryId, repositoryName, [imageId], acceptedMediaTypes),
            EcrJsonContext.Default.BatchGetImageRequest,
            EcrJsonContext.Default.BatchGetImageResponse,
            repositoryName,
            cancellationToken).ConfigureAwait(false);
        if (response.Images is [var image, ..])
        {
            return image;
        }

        if (response.Failures is [var failure, ..] && failure.FailureCode is not ("ImageNotFound" or "ImageTagDoesNotMatchDigest" or "MissingDigestAndTag"))
        {
            throw new ExternalFailureException($"ECR BatchGetImage could not return {repositoryName}:{imageId}: {failure.FailureCode}: {failure.FailureReason}");
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<EcrImage> PutImageAsync(string repositoryName, string manifest, string? mediaType, string? tag, string? digest, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await CallAsync(
                "PutImage",
                new PutImageRequest(_options.RegistryId, repositoryName, manifest, mediaType, tag, digest),
                EcrJsonContext.Default.PutImageRequest,
                EcrJsonContext.Default.PutImageResponse,
                repositoryName,
                cancellationToken).ConfigureAwait(false);
            return response.Image ?? throw new ExternalFailureException($"ECR PutImage for {repositoryName}:{tag} returned no image");
        }
        catch (EcrServiceException ex) when (ex.ErrorType == "ImageTagAlreadyExistsException" && tag is not null)
        {
            throw new EcrTagConflictException(EcrTagConflictException.FormatMessage(repositoryName, tag, null, digest), repositoryName, tag, null, digest);
        }
    }

    /// <summary>The most image ids one <c>BatchDeleteImage</c> takes.</summary>
    public const int MaxBatchDelete = 100;

    /// <inheritdoc />
    public async Task<EcrBatchDeleteResult> BatchDeleteImageAsync(string repositoryName, IReadOnlyList<EcrImageId> imageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imageIds);
        if (imageIds.Count is 0 or > MaxBatchDelete)
        {
            throw new ArgumentOutOfRangeException(nameof(imageIds), imageIds.Count, $"BatchDeleteImage takes 1 to {MaxBatchDelete} image ids");
        }

        return await CallAsync(
            "BatchDeleteImage",
            new BatchDeleteImageRequest(_options.RegistryId, repositoryName, imageIds),
            EcrJsonContext.Default.BatchDeleteImageRequest,
            EcrJsonContext.Default.EcrBatchDeleteResult,
            repositoryName,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<TResponse> CallAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        string? repository,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var credentials = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        return await _retry.ExecuteAsync(
            async token => await SendAsync(operation, body, credentials, responseType, repository, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> SendAsync<TResponse>(
        string operation,
        byte[] body,
        AwsCredentials credentials,
        JsonTypeInfo<TResponse> responseType,
        string? repository,
        CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint);
        message.Content = new ByteArrayContent(body);
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        foreach (var (name, value) in Sign(operation, body, credentials))
        {
            if (name != "host" && name != "content-type")
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ExternalFailureException($"ECR {operation} at {_options.Endpoint.Host} timed out after {_http.Timeout.TotalSeconds:0}s", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return JsonSerializer.Deserialize(text, responseType)
                        ?? throw new ExternalFailureException($"ECR {operation} at {_options.Endpoint.Host} returned an empty body");
                }
                catch (JsonException ex)
                {
                    throw new ExternalFailureException($"ECR {operation} at {_options.Endpoint.Host} returned JSON TagForge cannot read: {ex.Message}", ex);
                }
            }

            throw MapError(operation, response, text, credentials, repository);
        }
    }

    /// <summary>The headers of a SigV4-signed request (lowercase names), including <c>authorization</c>.</summary>
    internal IReadOnlyDictionary<string, string> Sign(string operation, byte[] body, AwsCredentials credentials)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var endpoint = _options.Endpoint;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = ContentType,
            ["host"] = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}",
            ["x-amz-date"] = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
            ["x-amz-target"] = TargetPrefix + operation,
        };
        if (credentials.SessionToken is not null)
        {
            headers["x-amz-security-token"] = credentials.SessionToken;
        }

        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = Signer.Canonicalize(endpoint, endpoint.AbsolutePath, "POST", headers, "", bodyHash);
        var signature = AWS4Signer.ComputeSignature(
            new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            _options.Region,
            now,
            SigningService,
            signedHeaders,
            canonicalRequest);
        headers["authorization"] = signature.ForAuthorizationHeader;
        return headers;
    }

    private EcrServiceException MapError(string operation, HttpResponseMessage response, byte[] body, AwsCredentials credentials, string? repository)
    {
        EcrErrorResponse? error = null;
        try
        {
            error = JsonSerializer.Deserialize(body, EcrJsonContext.Default.EcrErrorResponse);
        }
        catch (JsonException)
        {
        }

        var headerType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        var type = ShortType(error?.Type ?? headerType) ?? $"HTTP{(int)response.StatusCode}";
        var detail = OneLine(error?.Message ?? error?.UpperMessage ?? Encoding.UTF8.GetString(body));
        if (detail.Length > 300)
        {
            detail = detail[..300] + "…";
        }

        var status = response.StatusCode;
        var where = $"{_options.Endpoint.Host} ({_options.Region})";
        var target = repository is null ? "" : $" for repository '{repository}'";
        return type switch
        {
            "UnrecognizedClientException" or "InvalidClientTokenId" => new EcrCredentialsException(
                $"ECR at {where} does not know the access key {credentials.AccessKeyId} ({type}: {detail}); check your AWS credentials", type, status),
            "InvalidSignatureException" or "SignatureDoesNotMatch" when detail.Contains("expired", StringComparison.OrdinalIgnoreCase) => new EcrCredentialsException(
                $"ECR at {where} says the request signature expired ({detail}); check the machine's clock and your AWS credentials", type, status),
            "InvalidSignatureException" or "SignatureDoesNotMatch" or "IncompleteSignature" => new EcrCredentialsException(
                $"ECR at {where} rejected the signature made with access key {credentials.AccessKeyId}: the secret access key does not match ({type}); check your AWS credentials", type, status),
            "ExpiredTokenException" or "ExpiredToken" or "RequestExpired" => new EcrCredentialsException(
                $"the AWS session token of access key {credentials.AccessKeyId} has expired ({type}: {detail}); check your AWS credentials (refresh the session or role)", type, status),
            "MissingAuthenticationTokenException" => new EcrCredentialsException(
                $"ECR at {where} received no credentials ({type}); check your AWS credentials", type, status),
            "AccessDeniedException" => new EcrCredentialsException(
                $"ECR at {where} denied {operation}{target} to access key {credentials.AccessKeyId} ({detail}); grant ecr:{operation} in the IAM policy", type, status),
            "RepositoryNotFoundException" => new EcrServiceException(
                $"ECR repository '{repository}' does not exist at {where}; create it with 'tagforge ecr ensure-repo {repository}' or 'tagforge release --create-repo' ({detail})", type, status),
            _ => new EcrServiceException($"ECR {operation}{target} at {where} failed: HTTP {(int)status} {type}: {detail}", type, status),
        };
    }

    private static string? ShortType(string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        var colon = type.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            type = type[..colon];
        }

        var hash = type.LastIndexOf('#');
        return hash >= 0 ? type[(hash + 1)..] : type;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Reaches AWSSDK.Core's canonical-request builder, which it exposes to signers only.</summary>
    private sealed class Signer : AWS4Signer
    {
        public static string Canonicalize(Uri endpoint, string path, string method, IDictionary<string, string> sortedHeaders, string query, string bodyHash) =>
            CanonicalizeRequest(endpoint, path, method, sortedHeaders, query, bodyHash);
    }
}
