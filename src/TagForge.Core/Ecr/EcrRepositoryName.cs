using TagForge.Errors;

namespace TagForge.Ecr;

/// <summary>Helpers to name ECR repositories from command-line arguments.</summary>
public static class EcrRepositoryName
{
    /// <summary>
    /// Splits <c>[registry/]repository</c>: <c>app</c>, <c>team/app</c>, or
    /// <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app</c> (the first part is a registry when it has a dot, a
    /// colon or is <c>localhost</c>).
    /// </summary>
    public static (string? Registry, string Repository) Split(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = text[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                return (first, Validate(text[(slash + 1)..], text));
            }
        }

        return (null, Validate(text, text));
    }

    private static string Validate(string repository, string text) =>
        Values.ImageReference.TryParse($"example.invalid/{repository}", out var reference) && reference.Tag is null && reference.Digest is null
            ? repository
            : throw new BadInputException($"'{text}' is not an ECR repository name (lowercase letters, digits, . _ - and /)");
}
