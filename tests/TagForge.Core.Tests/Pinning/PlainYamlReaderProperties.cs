using System.Text;
using CsCheck;
using YamlDotNet.Core;

namespace TagForge.Pinning;

/// <summary>
/// The fast reader against the tool that defines the truth, YamlDotNet (through <see cref="YamlTreeReader"/>): on
/// YAML generated from a grammar mixing the reader's subset with what it must leave alone, then mutated, whatever
/// the fast reader accepts YamlDotNet accepts with the same tree (offsets, values, styles, flags, duplicates).
/// </summary>
public sealed class PlainYamlReaderProperties
{
    /// <summary>A canonical dump of the tree: every node with its offsets, values, styles and flags.</summary>
    internal static string Dump(IEnumerable<SyntaxNode> documents)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            Dump(document, text);
            text.Append('\n');
        }

        return text.ToString();
    }

    private static void Dump(SyntaxNode node, StringBuilder text)
    {
        text.Append(node.GetType().Name[0]).Append('[').Append(node.Start).Append(',').Append(node.End).Append(']');
        switch (node)
        {
            case ScalarNode scalar:
                text.Append(scalar.Style).Append('<').Append(scalar.Value).Append('>').Append(scalar.NotRewritable).Append(scalar.IsJsonNonString ? "J" : "");
                break;
            case SequenceNode sequence:
                text.Append('(');
                sequence.Items.ForEach(item => Dump(item, text.Append(' ')));
                text.Append(')');
                break;
            case MappingNode mapping:
                text.Append(mapping.IsFlow ? "flow{" : "{");
                foreach (var (key, value) in mapping.Entries)
                {
                    Dump(key, text.Append(' '));
                    Dump(value, text.Append('='));
                }

                text.Append('}');
                foreach (var (first, again) in mapping.Duplicates)
                {
                    text.Append(" dup ").Append(first.Start).Append('/').Append(again.Start);
                }

                break;
        }
    }

    /// <summary>What YamlDotNet makes of <paramref name="text"/>: the dump, or null when it rejects it.</summary>
    private static string? Truth(string text)
    {
        try
        {
            return Dump(YamlTreeReader.Read(text));
        }
        catch (YamlException)
        {
            return null;
        }
    }

    /// <summary>Asserts the property for one text; true when the fast reader accepted it.</summary>
    private static bool SameAsYamlDotNet(string text)
    {
        if (PlainYamlReader.TryRead(text) is not { } fast)
        {
            return false;
        }

        var truth = Truth(text);
        Assert.True(truth is not null, $"the fast reader accepted text YamlDotNet rejects:\n{text}");
        Assert.True(truth == Dump(fast), $"the trees differ for:\n{text}\nYamlDotNet: {truth}\nfast:       {Dump(fast)}");
        return true;
    }

    [Fact]
    public void Whatever_the_fast_reader_accepts_yamldotnet_reads_to_the_same_tree()
    {
        var accepted = 0;
        var generated = 0;
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var text = PlainYamlGrammar.Stream(random);
            Interlocked.Increment(ref generated);
            if (SameAsYamlDotNet(text))
            {
                Interlocked.Increment(ref accepted);
            }
        }, iter: 6_000);

        // Otherwise the property proves little: a good share of the grammar's documents take the fast path.
        Assert.True(accepted * 3 > generated, $"the fast reader accepted only {accepted} of {generated} generated documents");
    }

    [Fact]
    public void Mutated_yaml_is_read_the_same_or_left_to_yamldotnet()
    {
        var accepted = 0;
        var rejectedByYamlDotNet = 0;
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var text = PlainYamlGrammar.Mutate(random, PlainYamlGrammar.Stream(random));
            if (SameAsYamlDotNet(text))
            {
                Interlocked.Increment(ref accepted);
            }
            else if (Truth(text) is null)
            {
                Interlocked.Increment(ref rejectedByYamlDotNet);
            }
        }, iter: 10_000);

        // The mutations must reach both sides: texts the fast reader takes, and texts YamlDotNet rejects.
        Assert.True(accepted > 500 && rejectedByYamlDotNet > 500, $"accepted {accepted}, rejected by YamlDotNet {rejectedByYamlDotNet}");
    }

    [Fact]
    public void The_benchmark_manifest_takes_the_fast_path()
    {
        const string manifest = """
            # service 7
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app-7
              labels: {app: app-7}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: app-7}
              template:
                metadata:
                  labels: {app: app-7}
                spec:
                  containers:
                    - name: app
                      image: registry.example.com:5000/shop/api:2.4.0   # pinned by CI
                      ports:
                        - containerPort: 8080

            """;

        Assert.True(SameAsYamlDotNet(manifest));
        Assert.True(SameAsYamlDotNet("---\n" + manifest + "---\nkind: List\nitems:\n- name: 'a'\n  image: \"b\"  # c\n"));
    }

    [Fact]
    public void Text_outside_the_subset_is_left_to_yamldotnet()
    {
        string[] outside =
        [
            "a: &x b\nc: *x\n", "a: |\n  b\n", "a: b\n  c\n", "a:\tb\n", "a: b\r\n", "\uFEFFa: b\n", "%YAML 1.2\n---\na: b\n", "a: b\n...\n",
            "? a\n: b\n", "a: !t b\n", "a: \"x\\ny\"\n", "---\n", "a: b\n---\n", "a: [b,\n  c]\n", "- - a\n",
        ];
        foreach (var text in outside)
        {
            Assert.Null(PlainYamlReader.TryRead(text));
        }
    }
}
