using System.Diagnostics.CodeAnalysis;

namespace TagForge.Values;

/// <summary>
/// An image reference as Docker reads it: <c>[registry[:port]/]path[:tag][@digest]</c>. It keeps the name as
/// written (so a rewritten file keeps <c>nginx</c> rather than <c>docker.io/library/nginx</c>) and also knows the
/// normalised registry and repository (so <c>nginx</c> and <c>docker.io/library/nginx</c> match).
/// </summary>
public sealed record ImageReference
{
    /// <summary>Docker Hub's name in references.</summary>
    public const string DockerHub = "docker.io";

    private ImageReference(string name, string registry, string repository, string? tag, Digest? digest)
    {
        Name = name;
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The name as written, without tag or digest: <c>nginx</c>, <c>localhost:5000/team/app</c>.</summary>
    public string Name { get; }

    /// <summary>The registry host (and port): <c>docker.io</c>, <c>localhost:5000</c>, <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c>.</summary>
    public string Registry { get; }

    /// <summary>The repository path within the registry: <c>library/nginx</c>, <c>team/app</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, if any.</summary>
    public string? Tag { get; }

    /// <summary>The digest, if any.</summary>
    public Digest? Digest { get; }

    /// <summary><c>registry/repository</c>, the key two references are compared by.</summary>
    public string FullName => $"{Registry}/{Repository}";

    /// <summary>The host to send registry API requests to (Docker Hub's API is not on <c>docker.io</c>).</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>The tag, or the digest when there is no tag: what a manifest request names.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? "latest";

    /// <summary>Parses a reference.</summary>
    /// <exception cref="FormatException">It is not a valid reference; the message says why.</exception>
    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw new FormatException(error);

    /// <summary>Parses a reference.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageReference? reference) => TryParse(text, out reference, out _);

    /// <summary>Parses a reference, saying why it failed.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "an image reference cannot be empty";
            return false;
        }

        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Digest.TryParse(rest[(at + 1)..], out digest))
            {
                error = $"'{text}' has a malformed digest '{rest[(at + 1)..]}'";
                return false;
            }

            rest = rest[..at];
        }

        string? tag = null;
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > rest.LastIndexOf('/'))
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (ImageTag.Explain(tag) is { } tagProblem)
            {
                error = $"'{text}' has an invalid tag: {tagProblem}";
                return false;
            }
        }

        var name = rest;
        var firstSlash = name.IndexOf('/', StringComparison.Ordinal);
        var first = firstSlash >= 0 ? name[..firstSlash] : null;
        string registry;
        string repository;
        if (first is not null && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            registry = first;
            repository = name[(firstSlash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = name;
        }

        if (registry is "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
        }

        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        if (!IsValidRepository(repository))
        {
            error = $"'{text}' has an invalid repository name '{repository}' (lowercase letters, digits and separators . _ __ - /)";
            return false;
        }

        reference = new ImageReference(name, registry, repository, tag, digest);
        error = null;
        return true;
    }

    /// <summary>This reference with another tag and/or digest (<see langword="null"/> removes it).</summary>
    public ImageReference With(string? tag, Digest? digest) => new(Name, Registry, Repository, tag, digest);

    /// <summary>True when both name the same repository on the same registry.</summary>
    public bool IsSameRepository(ImageReference other) => FullName == other.FullName;

    /// <inheritdoc />
    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    private static bool IsValidRepository(string repository)
    {
        if (repository.Length == 0 || repository.Length > 255)
        {
            return false;
        }

        foreach (var component in repository.Split('/'))
        {
            if (component.Length == 0 || !char.IsAsciiLetterLower(component[0]) && !char.IsAsciiDigit(component[0]))
            {
                return false;
            }

            var last = component[^1];
            if (!char.IsAsciiLetterLower(last) && !char.IsAsciiDigit(last))
            {
                return false;
            }

            if (!component.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
