namespace TagForge.Ecr;

/// <summary>
/// The Amazon ECR API operations TagForge uses. <see cref="EcrClient"/> implements them over HTTP with AWSSDK.Core's
/// credentials and SigV4 signer; an implementation over AWSSDK.ECR could replace it. Failures are
/// <see cref="EcrServiceException"/>s (exit 1), <see cref="EcrCredentialsException"/>s naming the access key, or
/// <see cref="EcrTagConflictException"/> (exit 3) when an immutable tag would move.
/// </summary>
public interface IEcrClient
{
    /// <summary>The region the client calls.</summary>
    string Region { get; }

    /// <summary><c>GetAuthorizationToken</c>: a 12-hour registry login (base64 <c>AWS:&lt;password&gt;</c>).</summary>
    Task<EcrAuthorizationData> GetAuthorizationTokenAsync(CancellationToken cancellationToken = default);

    /// <summary><c>DescribeRepositories</c> for one name; <see langword="null"/> when it does not exist.</summary>
    Task<EcrRepository?> DescribeRepositoryAsync(string repositoryName, CancellationToken cancellationToken = default);

    /// <summary><c>CreateRepository</c>.</summary>
    Task<EcrRepository> CreateRepositoryAsync(string repositoryName, bool immutableTags, bool scanOnPush, CancellationToken cancellationToken = default);

    /// <summary><c>DescribeImages</c> for one image; <see langword="null"/> when the image does not exist (a missing repository throws).</summary>
    Task<EcrImageDetail?> DescribeImageAsync(string repositoryName, EcrImageId imageId, CancellationToken cancellationToken = default);

    /// <summary><c>BatchGetImage</c> for one image with its manifest; <see langword="null"/> when it does not exist.</summary>
    Task<EcrImage?> GetImageAsync(string repositoryName, EcrImageId imageId, IReadOnlyList<string>? acceptedMediaTypes = null, CancellationToken cancellationToken = default);

    /// <summary><c>PutImage</c>: stores <paramref name="manifest"/> (already in the repository by digest, or its layers are) under <paramref name="tag"/>.</summary>
    Task<EcrImage> PutImageAsync(string repositoryName, string manifest, string? mediaType, string? tag, string? digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>BatchDeleteImage</c> of at most <see cref="EcrClient.MaxBatchDelete"/> images (by digest: the image and all its
    /// tags); each id not deleted comes back as a failure (<c>ImageNotFound</c>: already gone).
    /// </summary>
    Task<EcrBatchDeleteResult> BatchDeleteImageAsync(string repositoryName, IReadOnlyList<EcrImageId> imageIds, CancellationToken cancellationToken = default);
}
