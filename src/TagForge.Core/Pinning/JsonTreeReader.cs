using System.Text;
using System.Text.Json;

namespace TagForge.Pinning;

/// <summary>
/// Reads JSON into <see cref="SyntaxNode"/>s with <see cref="Utf8JsonReader"/>, converting its byte offsets
/// (<see cref="Utf8JsonReader.TokenStartIndex"/>, <see cref="Utf8JsonReader.BytesConsumed"/>) into offsets in the
/// decoded text, so a string value can be replaced in place.
/// </summary>
internal static class JsonTreeReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = NestingLimit.MaxDepth + 1 };

    /// <summary>Reads <paramref name="utf8"/> (no BOM); offsets are char offsets from its start.</summary>
    /// <exception cref="JsonException">Not valid JSON.</exception>
    public static SyntaxNode Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        var offsets = new OffsetMap();
        if (!reader.Read())
        {
            throw new JsonException("the file is empty");
        }

        var root = ReadValue(ref reader, utf8, ref offsets, 1);
        if (reader.Read())
        {
            throw new JsonException($"unexpected {reader.TokenType} after the document's end");
        }

        return root;
    }

    private static SyntaxNode ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, ref OffsetMap offsets, int depth)
    {
        var start = offsets.ToChar(utf8, reader.TokenStartIndex);
        if (depth > NestingLimit.MaxDepth && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            // Before Utf8JsonReader's own limit (one deeper), so both readers say the same thing.
            throw new NestingTooDeepException(LineOf(utf8, reader.TokenStartIndex));
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var mapping = new MappingNode(start, start, isFlow: true);
                Dictionary<string, ScalarNode>? keys = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var keyStart = offsets.ToChar(utf8, reader.TokenStartIndex);
                    var key = new ScalarNode(keyStart, keyStart, reader.GetString() ?? "", ScalarStyle.Json);
                    keys ??= new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
                    if (!keys.TryAdd(key.Value, key))
                    {
                        mapping.AddDuplicate(keys[key.Value], key);
                    }

                    reader.Read();
                    mapping.Entries.Add((key, ReadValue(ref reader, utf8, ref offsets, depth + 1)));
                }

                mapping.End = offsets.ToChar(utf8, reader.BytesConsumed);
                return mapping;
            case JsonTokenType.StartArray:
                var sequence = new SequenceNode(start, start);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    sequence.Items.Add(ReadValue(ref reader, utf8, ref offsets, depth + 1));
                }

                sequence.End = offsets.ToChar(utf8, reader.BytesConsumed);
                return sequence;
            case JsonTokenType.String:
                var value = reader.GetString() ?? "";
                return new ScalarNode(start, offsets.ToChar(utf8, reader.BytesConsumed), value, ScalarStyle.Json);
            default:
                // Numbers, booleans, null: never an image, but kept as scalars so shapes still match.
                var text = Encoding.UTF8.GetString(reader.ValueSpan);
                return new ScalarNode(start, offsets.ToChar(utf8, reader.BytesConsumed), reader.TokenType == JsonTokenType.Null ? "" : text, ScalarStyle.Plain)
                {
                    IsJsonNonString = reader.TokenType != JsonTokenType.Null,
                };
        }
    }

    private static int LineOf(ReadOnlySpan<byte> utf8, long offset) => utf8[..(int)offset].Count((byte)'\n') + 1;

    /// <summary>Byte offset → char offset, walking forward only (tokens come in order), so the whole file is decoded once.</summary>
    private struct OffsetMap
    {
        private long _byte;
        private int _char;

        public int ToChar(ReadOnlySpan<byte> utf8, long byteOffset)
        {
            if (byteOffset < _byte)
            {
                // Key offsets can precede the last value's end only in malformed input; recount from the start.
                _byte = 0;
                _char = 0;
            }

            _char += Encoding.UTF8.GetCharCount(utf8[(int)_byte..(int)byteOffset]);
            _byte = byteOffset;
            return _char;
        }
    }
}
