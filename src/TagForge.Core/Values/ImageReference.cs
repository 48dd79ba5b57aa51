using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using TagForge.Errors;

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

    private static readonly System.Buffers.SearchValues<char> Ipv6Characters = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:.");
    private static readonly System.Buffers.SearchValues<char> HostCharacters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

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

    /// <summary>
    /// The registry host (and port) in its one normal form (<see cref="RegistryName.Normalize"/>): <c>docker.io</c>,
    /// <c>localhost:5000</c>, <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c>.
    /// </summary>
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

    /// <summary>
    /// Parses a reference, saying why it failed. The reason quotes the text with any secret in it masked
    /// (<see cref="Redaction"/>): <c>https://user:password@host/app</c> is a mistake a CI log must not keep.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        if (TryParseUnredacted(text, out reference, out error))
        {
            return true;
        }

        error = Redaction.Redact(error);
        return false;
    }

    private static bool TryParseUnredacted(string? text, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "an image reference cannot be empty";
            return false;
        }

        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && text.AsSpan(0, scheme).IndexOfAny('/', '@') < 0)
        {
            // The suggestion leaves out any user:password@ (a reference has no place for credentials either).
            var rest0 = text[(scheme + 3)..];
            var userInfo = rest0.IndexOf('@', StringComparison.Ordinal);
            if (userInfo >= 0 && (rest0.IndexOf('/', StringComparison.Ordinal) is var slash0 && (slash0 < 0 || userInfo < slash0)))
            {
                rest0 = rest0[(userInfo + 1)..];
            }

            error = $"'{text}' starts with a scheme '{text[..(scheme + 3)]}': an image reference has none; drop it ({rest0})";
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

        if (RegistryProblem(registry) is { } registryProblem)
        {
            error = $"'{text}' has an invalid registry '{registry}': {registryProblem}";
            return false;
        }

        registry = RegistryName.Normalize(registry);

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

    /// <summary>
    /// Why <paramref name="registry"/> (<c>host[:port]</c>) cannot be a registry, or null: checked here, where the value
    /// enters, so a port like 99999 is a clear bad-input message and never a <see cref="UriFormatException"/> later.
    /// </summary>
    private static string? RegistryProblem(string registry)
    {
        var host = registry;
        string? port = null;
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || registry.AsSpan(1, close - 1).ContainsAnyExcept(Ipv6Characters) || close == 1)
            {
                return "an IPv6 address is written [hex:digits:and:colons]";
            }

            host = registry[..(close + 1)];
            if (close + 1 < registry.Length)
            {
                if (registry[close + 1] != ':')
                {
                    return "only ':PORT' may follow an IPv6 address";
                }

                port = registry[(close + 2)..];
            }
        }
        else
        {
            var colon = registry.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                host = registry[..colon];
                port = registry[(colon + 1)..];
            }

            foreach (var label in host.Split('.'))
            {
                if (label.Length == 0 || label.Length > 63 || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1])
                    || label.AsSpan().ContainsAnyExcept(HostCharacters))
                {
                    return "a host name is letters, digits and '-' in labels separated by '.'";
                }
            }
        }

        if (port is not null
            && (port.Length is 0 or > 5 || port.AsSpan().ContainsAnyExceptInRange('0', '9')
                || int.Parse(port, CultureInfo.InvariantCulture) is < 1 or > 65535))
        {
            return $"the port must be a number from 1 to 65535, not '{port}'";
        }

        return null;
    }

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
