using System.Diagnostics.CodeAnalysis;

namespace TagForge.Registry;

/// <summary>An image platform as OCI writes it (<c>linux/arm64/v8</c>): operating system, architecture, optional variant.</summary>
public sealed record Platform(string Os, string Architecture, string? Variant = null)
{
    /// <summary>Parses <c>os/arch[/variant]</c>; false for anything else.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Platform? platform)
    {
        platform = null;
        var parts = (text ?? "").Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(part => part.Length == 0 || !part.All(IsPlatformChar)))
        {
            return false;
        }

        platform = new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        return true;
    }

    /// <summary>Parses <c>os/arch[/variant]</c> or throws <see cref="FormatException"/>.</summary>
    public static Platform Parse(string text) =>
        TryParse(text, out var platform) ? platform : throw new FormatException($"'{text}' is not a platform (os/architecture[/variant], such as linux/arm64)");

    /// <inheritdoc />
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    private static bool IsPlatformChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
}
