using System.Text.Json.Serialization;

namespace TagForge.Ecr;

// The JSON 1.1 request and response shapes of the ECR operations TagForge uses (service version 2015-09-21),
// written by hand from the API reference because AWSSDK.ECR is not available; only the members TagForge reads.

/// <summary>An image named by tag and/or digest (<c>ImageIdentifier</c>).</summary>
public sealed record EcrImageId(
    [property: JsonPropertyName("imageDigest")] string? ImageDigest = null,
    [property: JsonPropertyName("imageTag")] string? ImageTag = null)
{
    /// <inheritdoc />
    public override string ToString() => ImageTag is null ? ImageDigest ?? "?" : ImageDigest is null ? ImageTag : $"{ImageTag}@{ImageDigest}";
}

/// <summary>A repository as ECR describes it.</summary>
public sealed record EcrRepository(
    [property: JsonPropertyName("repositoryName")] string RepositoryName,
    [property: JsonPropertyName("repositoryUri")] string? RepositoryUri,
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryArn")] string? RepositoryArn,
    [property: JsonPropertyName("imageTagMutability")] string? ImageTagMutability,
    [property: JsonPropertyName("imageScanningConfiguration")] EcrScanningConfiguration? ImageScanningConfiguration)
{
    /// <summary>True when ECR itself refuses to move a tag (<c>IMMUTABLE</c> or <c>IMMUTABLE_WITH_EXCLUSION</c>).</summary>
    public bool IsImmutable => ImageTagMutability?.StartsWith("IMMUTABLE", StringComparison.Ordinal) == true;
}

/// <summary>Scan on push.</summary>
public sealed record EcrScanningConfiguration([property: JsonPropertyName("scanOnPush")] bool ScanOnPush);

/// <summary>An image's details (<c>DescribeImages</c>).</summary>
public sealed record EcrImageDetail(
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryName")] string? RepositoryName,
    [property: JsonPropertyName("imageDigest")] string ImageDigest,
    [property: JsonPropertyName("imageTags")] IReadOnlyList<string>? ImageTags,
    [property: JsonPropertyName("imageSizeInBytes")] long? ImageSizeInBytes,
    [property: JsonPropertyName("imagePushedAt")] double? ImagePushedAt,
    [property: JsonPropertyName("imageManifestMediaType")] string? ImageManifestMediaType);

/// <summary>An image with its manifest (<c>BatchGetImage</c>, <c>PutImage</c>).</summary>
public sealed record EcrImage(
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryName")] string? RepositoryName,
    [property: JsonPropertyName("imageId")] EcrImageId ImageId,
    [property: JsonPropertyName("imageManifest")] string? ImageManifest,
    [property: JsonPropertyName("imageManifestMediaType")] string? ImageManifestMediaType);

/// <summary>A registry login (<c>AuthorizationData</c>).</summary>
public sealed record EcrAuthorizationData(
    [property: JsonPropertyName("authorizationToken")] string AuthorizationToken,
    [property: JsonPropertyName("expiresAt")] double? ExpiresAt,
    [property: JsonPropertyName("proxyEndpoint")] string? ProxyEndpoint);

/// <summary>One image BatchGetImage could not return, or BatchDeleteImage could not delete.</summary>
public sealed record EcrImageFailure(
    [property: JsonPropertyName("imageId")] EcrImageId? ImageId,
    [property: JsonPropertyName("failureCode")] string? FailureCode,
    [property: JsonPropertyName("failureReason")] string? FailureReason);

internal sealed record GetAuthorizationTokenRequest([property: JsonPropertyName("registryIds")] IReadOnlyList<string>? RegistryIds);

internal sealed record GetAuthorizationTokenResponse([property: JsonPropertyName("authorizationData")] IReadOnlyList<EcrAuthorizationData>? AuthorizationData);

internal sealed record DescribeRepositoriesRequest(
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryNames")] IReadOnlyList<string>? RepositoryNames);

internal sealed record DescribeRepositoriesResponse([property: JsonPropertyName("repositories")] IReadOnlyList<EcrRepository>? Repositories);

internal sealed record CreateRepositoryRequest(
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryName")] string RepositoryName,
    [property: JsonPropertyName("imageTagMutability")] string? ImageTagMutability,
    [property: JsonPropertyName("imageScanningConfiguration")] EcrScanningConfiguration? ImageScanningConfiguration);

internal sealed record CreateRepositoryResponse([property: JsonPropertyName("repository")] EcrRepository Repository);

internal sealed record DescribeImagesRequest(
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryName")] string RepositoryName,
    [property: JsonPropertyName("imageIds")] IReadOnlyList<EcrImageId>? ImageIds);

internal sealed record DescribeImagesResponse([property: JsonPropertyName("imageDetails")] IReadOnlyList<EcrImageDetail>? ImageDetails);

internal sealed record BatchGetImageRequest(
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryName")] string RepositoryName,
    [property: JsonPropertyName("imageIds")] IReadOnlyList<EcrImageId> ImageIds,
    [property: JsonPropertyName("acceptedMediaTypes")] IReadOnlyList<string>? AcceptedMediaTypes);

internal sealed record BatchGetImageResponse(
    [property: JsonPropertyName("images")] IReadOnlyList<EcrImage>? Images,
    [property: JsonPropertyName("failures")] IReadOnlyList<EcrImageFailure>? Failures);

internal sealed record PutImageRequest(
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryName")] string RepositoryName,
    [property: JsonPropertyName("imageManifest")] string ImageManifest,
    [property: JsonPropertyName("imageManifestMediaType")] string? ImageManifestMediaType,
    [property: JsonPropertyName("imageTag")] string? ImageTag,
    [property: JsonPropertyName("imageDigest")] string? ImageDigest);

internal sealed record PutImageResponse([property: JsonPropertyName("image")] EcrImage? Image);

internal sealed record BatchDeleteImageRequest(
    [property: JsonPropertyName("registryId")] string? RegistryId,
    [property: JsonPropertyName("repositoryName")] string RepositoryName,
    [property: JsonPropertyName("imageIds")] IReadOnlyList<EcrImageId> ImageIds);

/// <summary><c>BatchDeleteImage</c>'s answer: the image ids deleted, and one failure per id that was not.</summary>
public sealed record EcrBatchDeleteResult(
    [property: JsonPropertyName("imageIds")] IReadOnlyList<EcrImageId>? ImageIds,
    [property: JsonPropertyName("failures")] IReadOnlyList<EcrImageFailure>? Failures);

internal sealed record EcrErrorResponse(
    [property: JsonPropertyName("__type")] string? Type,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("Message")] string? UpperMessage);

/// <summary>Source-generated JSON for ECR's JSON 1.1 protocol (no reflection: trimmed and AOT-compiled).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetAuthorizationTokenRequest))]
[JsonSerializable(typeof(GetAuthorizationTokenResponse))]
[JsonSerializable(typeof(DescribeRepositoriesRequest))]
[JsonSerializable(typeof(DescribeRepositoriesResponse))]
[JsonSerializable(typeof(CreateRepositoryRequest))]
[JsonSerializable(typeof(CreateRepositoryResponse))]
[JsonSerializable(typeof(DescribeImagesRequest))]
[JsonSerializable(typeof(DescribeImagesResponse))]
[JsonSerializable(typeof(BatchGetImageRequest))]
[JsonSerializable(typeof(BatchGetImageResponse))]
[JsonSerializable(typeof(PutImageRequest))]
[JsonSerializable(typeof(PutImageResponse))]
[JsonSerializable(typeof(BatchDeleteImageRequest))]
[JsonSerializable(typeof(EcrBatchDeleteResult))]
[JsonSerializable(typeof(EcrErrorResponse))]
internal sealed partial class EcrJsonContext : JsonSerializerContext;
