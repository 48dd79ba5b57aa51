using System.Net;
using TagForge.Errors;

namespace TagForge.Registry;

/// <summary>A registry (or its token server) failed or refused; the message names the registry, repository and HTTP status.</summary>
public class RegistryException : ExternalFailureException
{
    /// <summary>Creates the exception.</summary>
    public RegistryException(string message, string registry, string? repository, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Registry = registry;
        Repository = repository;
        StatusCode = statusCode;
    }

    /// <summary>The registry host.</summary>
    public string Registry { get; }

    /// <summary>The repository, when the request named one.</summary>
    public string? Repository { get; }

    /// <summary>The HTTP status, when the registry answered at all.</summary>
    public HttpStatusCode? StatusCode { get; }
}
