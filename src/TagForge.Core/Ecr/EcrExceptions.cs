using System.Net;
using TagForge.Errors;

namespace TagForge.Ecr;

/// <summary>ECR answered with an error (<c>__type</c> and <c>message</c> of the JSON 1.1 protocol): exit code 1.</summary>
public class EcrServiceException : ExternalFailureException
{
    /// <summary>Creates the exception.</summary>
    public EcrServiceException(string message, string errorType, HttpStatusCode statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorType = errorType;
        StatusCode = statusCode;
    }

    /// <summary>ECR's error type without its namespace: <c>RepositoryNotFoundException</c>, <c>ThrottlingException</c>, ...</summary>
    public string ErrorType { get; }

    /// <summary>The HTTP status ECR answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>True for errors worth retrying after a pause (throttling, a service hiccup).</summary>
    public bool IsRetryable => ErrorType is "ThrottlingException" or "ThrottledException" or "TooManyRequestsException" or "RequestLimitExceeded"
        or "ServiceUnavailableException" or "ServerException" or "InternalFailure"
        || (int)StatusCode is 429 or 500 or 502 or 503 or 504;
}

/// <summary>ECR refused the caller's AWS credentials (invalid key, bad signature, expired token): exit code 1.</summary>
public sealed class EcrCredentialsException(string message, string errorType, HttpStatusCode statusCode)
    : EcrServiceException(message, errorType, statusCode);

/// <summary>
/// ECR refused to move a tag of an IMMUTABLE repository (<c>ImageTagAlreadyExistsException</c>): exit code 3, like
/// TagForge's own overwrite guard.
/// </summary>
public sealed class EcrTagConflictException : PolicyRefusalException
{
    /// <summary>Creates the exception.</summary>
    public EcrTagConflictException(string message, string repository, string tag, string? existingDigest, string? newDigest)
        : base(message)
    {
        Repository = repository;
        Tag = tag;
        ExistingDigest = existingDigest;
        NewDigest = newDigest;
    }

    /// <summary>The repository (as the user named it).</summary>
    public string Repository { get; }

    /// <summary>The tag that already exists.</summary>
    public string Tag { get; }

    /// <summary>The digest the tag points at, when known.</summary>
    public string? ExistingDigest { get; }

    /// <summary>The digest that was refused, when known.</summary>
    public string? NewDigest { get; }

    /// <summary>The overwrite guard's message shape.</summary>
    public static string FormatMessage(string repository, string tag, string? existingDigest, string? newDigest) =>
        $"tag {tag} already exists in {repository} with digest {existingDigest ?? "(unknown)"}; refusing to overwrite it with {newDigest ?? "(another digest)"}"
        + " (the ECR repository has IMMUTABLE tags; pick a new tag)";
}
