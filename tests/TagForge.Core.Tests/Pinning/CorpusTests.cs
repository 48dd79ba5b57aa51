using System.Text;
using System.Text.Json;
using TagForge.Records;
using YamlDotNet.RepresentationModel;

namespace TagForge.Pinning;

/// <summary>Pins every sample in <c>Corpus/</c> and compares the result byte for byte with its <c>.expected</c> file.</summary>
public sealed class CorpusTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Pinning", "Corpus");

    private static readonly string[] ImageKeys = ["image", "Name", "tag", "newTag", "digest"];

    public static TheoryData<string> Samples() => [.. Directory.GetFiles(CorpusDirectory, "*.expected").Select(file => Path.GetFileNameWithoutExtension(file)).Order(StringComparer.Ordinal)];

    internal static RecordIndex Record => new(BuildRecordFile.Read(Path.Combine(CorpusDirectory, "tagforge.json")));

    internal static DeploymentFile Sample(string name) => DeploymentFile.Read(Path.Combine(CorpusDirectory, name));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Pins_each_sample_to_exactly_the_expected_bytes(string sample)
    {
        var file = Sample(sample);

        var result = Pinner.Pin(file, Record);

        var expected = File.ReadAllBytes(Path.Combine(CorpusDirectory, sample + ".expected"));
        var actual = file.Encode(result.Text);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{sample}: pinned bytes differ from {sample}.expected\n{UnifiedDiff.Create(sample, Encoding.UTF8.GetString(expected), result.Text)}");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Pinning_an_already_pinned_sample_changes_nothing(string sample)
    {
        var pinned = DeploymentFile.Parse(sample, File.ReadAllBytes(Path.Combine(CorpusDirectory, sample + ".expected")));

        var again = Pinner.Pin(pinned, Record);

        Assert.False(again.Changed);
        Assert.Same(pinned.Source.Text, again.Text);
        Assert.Empty(again.Findings);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_diff_touches_only_image_values(string sample)
    {
        var original = Sample(sample);
        var pinned = Pinner.Pin(original, Record).Text;

        var before = original.Source.Text.Split('\n');
        var after = pinned.Split('\n');

        var j = 0;
        for (var i = 0; i < before.Length; i++, j++)
        {
            // The one added line: a kustomization entry's new digest key.
            while (before[i] != after[j] && IsDigestLine(after[j]) && !IsDigestLine(before[i]))
            {
                j++;
            }

            if (before[i] == after[j])
            {
                continue;
            }

            var prefix = CommonPrefix(before[i], after[j]);
            var suffix = CommonSuffix(before[i][prefix..], after[j][prefix..]);
            var removed = before[i][prefix..^suffix];
            // A flow-style kustomization entry gains ", digest: …" after its last value.
            var added = System.Text.RegularExpressions.Regex.Replace(after[j][prefix..^suffix], ", digest: sha256:[0-9a-f]{64}$", "");
            var key = before[i][..prefix];
            Assert.True(ImageKeys.Any(name => key.Contains(name + ":", StringComparison.Ordinal) || key.Contains(name + "\"", StringComparison.Ordinal)),
                $"{sample}:{i + 1}: the change is not in an image value: {before[i]} → {after[j]}");
            Assert.True(IsOneToken(removed) && IsOneToken(added), $"{sample}:{i + 1}: more than a value changed: '{removed}' → '{added}'");
        }

        Assert.Equal(after.Length, j);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_pinned_file_parses_to_the_same_document_apart_from_image_values(string sample)
    {
        var original = Sample(sample);
        var pinned = Pinner.Pin(original, Record).Text;

        var json = sample.EndsWith(".json", StringComparison.Ordinal);
        var expected = json ? CanonicalJson(original.Source.Text) : CanonicalYaml(original.Source.Text);
        var actual = json ? CanonicalJson(pinned) : CanonicalYaml(pinned);

        Assert.Equal(expected, actual);
        Assert.NotEqual(original.Source.Text, pinned);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Line_endings_byte_order_mark_and_final_newline_survive(string sample)
    {
        var original = Sample(sample);
        var pinned = Pinner.Pin(original, Record).Text;

        Assert.Equal(original.Source.Text.Count(c => c == '\r'), pinned.Count(c => c == '\r') - InsertedLines(original.Source.Text, pinned, crlf: true));
        Assert.Equal(original.Source.Text.EndsWith('\n'), pinned.EndsWith('\n'));
        Assert.Equal(original.Source.HasBom, original.Encode(pinned).AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]));
    }

    [Theory]
    [InlineData("k8s-multidoc.yaml", DeploymentFormat.Kubernetes, 5)]
    [InlineData("k8s-crlf.yaml", DeploymentFormat.Kubernetes, 3)]
    [InlineData("k8s-list-bom.yaml", DeploymentFormat.Kubernetes, 4)]
    [InlineData("k8s-pinned.yaml", DeploymentFormat.Kubernetes, 4)]
    [InlineData("kustomization.yaml", DeploymentFormat.Kustomization, 4)]
    [InlineData("compose.yaml", DeploymentFormat.Compose, 5)]
    [InlineData("ecs-register.json", DeploymentFormat.EcsTaskDefinition, 3)]
    [InlineData("ecs-describe.json", DeploymentFormat.EcsTaskDefinition, 2)]
    [InlineData("Dockerrun.aws.json", DeploymentFormat.DockerrunV1, 1)]
    [InlineData("Dockerrun-v2.aws.json", DeploymentFormat.DockerrunV2, 2)]
    [InlineData("values.yaml", DeploymentFormat.HelmValues, 5)]
    public void Detects_the_format_from_content_and_finds_every_image(string sample, DeploymentFormat format, int images)
    {
        var file = Sample(sample);

        Assert.Equal(format, file.Format);
        Assert.Equal(images, file.Images.Count);
    }

    private static bool IsDigestLine(string line) => line.TrimStart().StartsWith("digest: sha256:", StringComparison.Ordinal);

    private static int InsertedLines(string before, string after, bool crlf) =>
        after.Split('\n').Count(line => line.TrimEnd('\r').TrimStart().StartsWith("digest: sha256:", StringComparison.Ordinal) && line.EndsWith('\r') == crlf)
        - before.Split('\n').Count(line => line.TrimEnd('\r').TrimStart().StartsWith("digest: sha256:", StringComparison.Ordinal) && line.EndsWith('\r') == crlf);

    private static bool IsOneToken(string text) => !text.Any(c => char.IsWhiteSpace(c) || c is '#' or ',' or '{' or '}' or '[' or ']');

    private static int CommonPrefix(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        // Back up to the start of the token, so "v3.1.9" → "v3.2.0" compares whole values.
        while (i > 0 && !char.IsWhiteSpace(a[i - 1]) && a[i - 1] is not '"' and not '\'' and not ',' and not '{')
        {
            i--;
        }

        return i;
    }

    private static int CommonSuffix(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[^(i + 1)] == b[^(i + 1)])
        {
            i++;
        }

        while (i > 0 && !char.IsWhiteSpace(a[^i]) && a[^i] is not '"' and not '\'' and not ',' and not '}')
        {
            i--;
        }

        return i;
    }

    /// <summary>The document as YamlDotNet's representation model reads it, image values masked, digest keys dropped.</summary>
    private static string CanonicalYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var builder = new StringBuilder();
        foreach (var document in stream.Documents)
        {
            Write(document.RootNode);
            builder.Append("\n---\n");
        }

        return builder.ToString();

        void Write(YamlNode node)
        {
            switch (node)
            {
                case YamlScalarNode scalar:
                    builder.Append('<').Append(scalar.Value).Append('>');
                    break;
                case YamlSequenceNode sequence:
                    builder.Append('[');
                    foreach (var item in sequence)
                    {
                        Write(item);
                        builder.Append(',');
                    }

                    builder.Append(']');
                    break;
                case YamlMappingNode mapping:
                    builder.Append('{');
                    foreach (var (key, value) in mapping.Children)
                    {
                        var name = (key as YamlScalarNode)?.Value;
                        if (name == "digest")
                        {
                            continue;
                        }

                        Write(key);
                        builder.Append(':');
                        if (name is not null && ImageKeys.Contains(name) && value is YamlScalarNode)
                        {
                            builder.Append("<image>");
                        }
                        else
                        {
                            Write(value);
                        }

                        builder.Append(',');
                    }

                    builder.Append('}');
                    break;
            }
        }
    }

    private static string CanonicalJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        var builder = new StringBuilder();
        Write(document.RootElement);
        return builder.ToString();

        void Write(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    builder.Append('{');
                    foreach (var property in element.EnumerateObject())
                    {
                        builder.Append(property.Name).Append(':');
                        if (ImageKeys.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.String)
                        {
                            builder.Append("<image>");
                        }
                        else
                        {
                            Write(property.Value);
                        }

                        builder.Append(',');
                    }

                    builder.Append('}');
                    break;
                case JsonValueKind.Array:
                    builder.Append('[');
                    foreach (var item in element.EnumerateArray())
                    {
                        Write(item);
                        builder.Append(',');
                    }

                    builder.Append(']');
                    break;
                default:
                    builder.Append(element.GetRawText());
                    break;
            }
        }
    }
}
