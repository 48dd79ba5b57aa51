using System.Text;

namespace TagForge.Pinning;

/// <summary>Writes a new value in the style of the scalar it replaces (plain stays plain, quotes stay the same quotes).</summary>
internal static class ScalarText
{
    public static string Format(string value, ScalarNode original, bool inFlow) => original.Style switch
    {
        ScalarStyle.Plain when IsSafePlain(value, inFlow) => value,
        ScalarStyle.SingleQuoted => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        ScalarStyle.Json => System.Text.Json.JsonSerializer.Serialize(value, PinningJsonContext.Default.String),

        // Only a block scalar's one line of value is replaced (see ScalarNode.NotRewritable): written as is, in the block.
        ScalarStyle.Block when value.IndexOfAny(['\n', '\r']) < 0 && value.Length > 0 && !char.IsWhiteSpace(value[0]) => value,
        _ => DoubleQuoted(value),
    };

    /// <summary>Whether <paramref name="value"/> reads back as the same string when written plain.</summary>
    public static bool IsSafePlain(string value, bool inFlow)
    {
        if (value.Length == 0 || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal) || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return false;
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.EndsWith(':'))
        {
            return false;
        }

        return !inFlow || value.IndexOfAny([',', '[', ']', '{', '}']) < 0;
    }

    private static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}

/// <summary>Source-generated JSON for string escaping (no reflection).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class PinningJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
