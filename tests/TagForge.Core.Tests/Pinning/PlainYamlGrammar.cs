using System.Text;

namespace TagForge.Pinning;

/// <summary>
/// YAML texts for <see cref="PlainYamlReaderProperties"/>: a grammar of block mappings and sequences, compact and
/// indentless sequences, comments, blank lines and documents, whose keys and scalars are mostly in the fast reader's
/// subset (the first choices of each list) and sometimes not (anchors, tags, block scalars, multi-line scalars,
/// escapes, odd flow collections, tabs, Unicode line breaks, BOMs); and mutations of them.
/// </summary>
internal static class PlainYamlGrammar
{
    private static readonly string[] Keys =
        ["a", "name", "image", "app-1", "x y", "k", "-x", "<<", "\"q\"", "'s'", "'it''s'", "a#b", "image ", "a:b", "?x", "&a k", "\"a\\tb\"", "[k]", "{k: v}", "k\u00e9", "a ", "%k"];

    private static readonly string[] Scalars =
        ["b", "registry.example.com:5000/shop/api:2.4.0", "x y", "x  y", "a#b", "app-1", "-1", "8080", "~", "null", "'it''s'", "\"q\"", "'a b'",
         "\"\"", "''", "{a: b}", "{app: app-1}", "[a, b]", "{a: [b, c]}", "[a, {b: c}]", "{}", "[]", "[ a ,b ]", "{\"a\": 'b'}",
         "a #b", "-", "x: y", "&anc x", "*anc", "!tag x", "|\n  literal", ">-\n  folded", "'multi\n  line'", "x\n  continued", "\"a\\\"b\"",
         "{a: b,}", "[a, b,]", "{a: b:c}", "{a: b, a: c}", "[x:y]", "{x:y}", "?", ":x", "%x", "@x", "`x", "\"open", "'open", "{a: b", "[a", "a\tb", "caf\u00e9", "x #", "\u00a0x", "x\u2028y", "x\u0085y", "\U0001F600", "\uFEFFx", "\u00e9: x", "x \u00e9"];

    private static readonly string[] Comments = ["", "", "", " # c", "   # pinned by CI", "#c", " #"];

    private static readonly string[] Separators = ["---\n", "---\n", "--- # doc\n", "...\n---\n", "---\n---\n", "--- a: b\n", "%YAML 1.2\n---\n"];

    private const string Mutations = ":#-'\"{}[], \t\r\nab&*!|>?%@.~\\\u00e9\u00a0\u2028\u0085\uFEFF\u4e2d";

    /// <summary>One document of the grammar, drawn with <paramref name="random"/>.</summary>
    private static string Document(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(4) == 0)
        {
            text.Append("# leading comment\n");
        }

        if (random.Next(3) == 0)
        {
            Sequence(random, text, random.Next(2), 0);
        }
        else
        {
            Mapping(random, text, random.Next(8) == 0 ? 2 : 0, 0, firstInline: false);
        }

        return text.ToString();
    }

    private static string Pick(Random random, string[] choices, int inSubset) =>
        // The first inSubset choices are in the fast reader's subset; they come up seven times out of eight.
        choices[random.Next(8) > 0 ? random.Next(inSubset) : random.Next(choices.Length)];

    private static void Mapping(Random random, StringBuilder text, int indent, int depth, bool firstInline)
    {
        var entries = 1 + random.Next(4);
        for (var i = 0; i < entries; i++)
        {
            if (!(firstInline && i == 0))
            {
                text.Append(' ', indent);
            }

            text.Append(Pick(random, Keys, 12)).Append(':');
            Value(random, text, indent, depth);
            Noise(random, text);
        }
    }

    private static void Sequence(Random random, StringBuilder text, int indent, int depth)
    {
        var items = 1 + random.Next(3);
        for (var i = 0; i < items; i++)
        {
            text.Append(' ', indent).Append('-');
            var choice = random.Next(depth > 3 ? 2 : 5);
            if (choice < 2)
            {
                text.Append(' ').Append(Pick(random, Scalars, 24)).Append(Pick(random, Comments, 5)).Append('\n');
            }
            else if (choice == 2)
            {
                // "- key: value" and its siblings at the key's column.
                var spaces = random.Next(4) > 0 ? 1 : 3;
                text.Append(' ', spaces);
                Mapping(random, text, indent + 1 + spaces, depth + 1, firstInline: true);
            }
            else if (choice == 3)
            {
                text.Append(Pick(random, Comments, 3)).Append('\n');
                Mapping(random, text, indent + 2, depth + 1, firstInline: false);
            }
            else
            {
                text.Append(random.Next(5) == 0 ? " - " + Pick(random, Scalars, 24) + "\n" : "\n");
            }

            Noise(random, text);
        }
    }

    private static void Value(Random random, StringBuilder text, int indent, int depth)
    {
        var choice = random.Next(depth > 3 ? 3 : 7);
        if (choice < 3)
        {
            text.Append(' ', random.Next(4) > 0 ? 1 : 3).Append(Pick(random, Scalars, 24)).Append(Pick(random, Comments, 5)).Append('\n');
        }
        else if (choice == 3)
        {
            text.Append(Pick(random, Comments, 5)).Append('\n');
        }
        else if (choice == 4)
        {
            text.Append('\n');
            Mapping(random, text, indent + (random.Next(4) > 0 ? 2 : 4), depth + 1, firstInline: false);
        }
        else
        {
            text.Append(Pick(random, Comments, 3)).Append('\n');
            Sequence(random, text, indent + (random.Next(2) == 0 ? 0 : 2), depth + 1);
        }
    }

    /// <summary>Blank lines and comment lines at odd indentations, now and then.</summary>
    private static void Noise(Random random, StringBuilder text)
    {
        switch (random.Next(12))
        {
            case 0:
                text.Append('\n');
                break;
            case 1:
                text.Append(' ', random.Next(6)).Append("# note\n");
                break;
            case 2:
                text.Append("   \n");
                break;
        }
    }

    /// <summary>One to three documents with separators, drawn with <paramref name="random"/>.</summary>
    public static string Stream(Random random)
    {
        var documents = 1 + (random.Next(3) == 0 ? random.Next(3) : 0);
        var text = new StringBuilder(random.Next(6) == 0 ? "---\n" : "");
        for (var i = 0; i < documents; i++)
        {
            if (i > 0)
            {
                text.Append(Pick(random, Separators, 3));
            }

            text.Append(Document(random));
        }

        var result = text.ToString();
        return random.Next(8) switch
        {
            0 => result.TrimEnd('\n'),
            1 => result + "---\n",
            2 => result + "# trailing comment",
            _ => result,
        };
    }

    /// <summary><paramref name="text"/> with one to three random insertions, deletions or indentation changes.</summary>
    public static string Mutate(Random random, string text)
    {
        var builder = new StringBuilder(text);
        for (var n = 1 + random.Next(3); n > 0 && builder.Length > 0; n--)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(4))
            {
                case 0:
                    builder.Insert(at, Mutations[random.Next(Mutations.Length)]);
                    break;
                case 1:
                    builder.Remove(at, 1);
                    break;
                case 2:
                    // A line indented differently: spaces added or taken at the start of the line holding `at`.
                    var lineStart = builder.ToString().LastIndexOf('\n', Math.Max(at - 1, 0)) + 1;
                    if (random.Next(2) == 0 || lineStart >= builder.Length || builder[lineStart] != ' ')
                    {
                        builder.Insert(lineStart, " ", 1 + random.Next(2));
                    }
                    else
                    {
                        builder.Remove(lineStart, 1);
                    }

                    break;
                default:
                    builder.Insert(at, Mutations[random.Next(10)]); // ':' '#' '-' quotes and brackets
                    break;
            }
        }

        return builder.ToString();
    }
}
