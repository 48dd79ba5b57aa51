using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace TagForge.Git;

/// <summary>A SemVer 2.0 version as found in a <c>v</c>-prefixed git tag (build metadata is dropped: <c>+</c> is illegal in image tags).</summary>
public sealed record SemanticVersion(int Major, int Minor, int Patch, IReadOnlyList<string> Prerelease) : IComparable<SemanticVersion>
{
    /// <summary>True for a pre-release such as <c>1.2.0-rc.1</c>.</summary>
    public bool IsPrerelease => Prerelease.Count > 0;

    /// <summary>Parses <c>1.2.3</c>, <c>1.2.3-rc.1</c> or <c>1.2.3-rc.1+build.5</c> (metadata ignored).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            text = text[..plus];
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var core = dash >= 0 ? text[..dash] : text;
        var parts = core.Split('.');
        if (parts.Length != 3 || !TryNumber(parts[0], out var major) || !TryNumber(parts[1], out var minor) || !TryNumber(parts[2], out var patch))
        {
            return false;
        }

        var prerelease = dash >= 0 ? text[(dash + 1)..].Split('.') : [];
        if (prerelease.Any(identifier => identifier.Length == 0 || !identifier.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            return false;
        }

        version = new SemanticVersion(major, minor, patch, prerelease);
        return true;
    }

    /// <summary>The version for a commit <paramref name="height"/> commits past this one (MinVer's rule).</summary>
    public SemanticVersion After(int height) => height == 0
        ? this
        : IsPrerelease
            ? this with { Prerelease = [.. Prerelease, height.ToString(CultureInfo.InvariantCulture)] }
            : new SemanticVersion(Major, Minor, Patch + 1, ["alpha", "0", height.ToString(CultureInfo.InvariantCulture)]);

    /// <inheritdoc />
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byCore = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byCore != 0)
        {
            return byCore;
        }

        // A release outranks its pre-releases.
        if (IsPrerelease != other.IsPrerelease)
        {
            return IsPrerelease ? -1 : 1;
        }

        for (var i = 0; i < Math.Min(Prerelease.Count, other.Prerelease.Count); i++)
        {
            var byIdentifier = CompareIdentifiers(Prerelease[i], other.Prerelease[i]);
            if (byIdentifier != 0)
            {
                return byIdentifier;
            }
        }

        return Prerelease.Count.CompareTo(other.Prerelease.Count);
    }

    /// <summary>Orders by SemVer precedence.</summary>
    public static bool operator <(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) < 0;

    /// <summary>Orders by SemVer precedence.</summary>
    public static bool operator <=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) <= 0;

    /// <summary>Orders by SemVer precedence.</summary>
    public static bool operator >(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) > 0;

    /// <summary>Orders by SemVer precedence.</summary>
    public static bool operator >=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) >= 0;

    /// <inheritdoc />
    public override string ToString() =>
        IsPrerelease ? $"{Major}.{Minor}.{Patch}-{string.Join('.', Prerelease)}" : $"{Major}.{Minor}.{Patch}";

    private static int Compare(SemanticVersion? left, SemanticVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static int CompareIdentifiers(string left, string right)
    {
        var leftIsNumber = long.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out var leftNumber);
        var rightIsNumber = long.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var rightNumber);
        return (leftIsNumber, rightIsNumber) switch
        {
            (true, true) => leftNumber.CompareTo(rightNumber),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(left, right),
        };
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && (text == "0" || text[0] != '0');
}
