using System.Text.Json;
using TagForge.Errors;
using YamlDotNet.Core;

namespace TagForge.Pinning;

/// <summary>A deployment file read for its images: its text, its detected format and every image in it.</summary>
public sealed class DeploymentFile
{
    private DeploymentFile(string name, SourceText source, DeploymentFormat format, IReadOnlyList<ImageSite> images, IReadOnlyList<Finding> problems)
    {
        Name = name;
        Source = source;
        Format = format;
        Images = images;
        Problems = problems;
    }

    /// <summary>The path as given (<c>-</c> for stdin), used in messages.</summary>
    public string Name { get; }

    /// <summary>The text as read.</summary>
    public SourceText Source { get; }

    /// <summary>The detected format.</summary>
    public DeploymentFormat Format { get; }

    /// <summary>Every image reference, in file order (an anchor merged into several places counts once).</summary>
    public IReadOnlyList<ImageSite> Images { get; }

    /// <summary>
    /// Values in image positions that TagForge cannot read or rewrite (a mapping where a string belongs, a block
    /// scalar of several lines, a key written twice on the way to an image), as error findings in file order:
    /// never skipped in silence. <c>lint</c> reports them, <c>pin</c> and <c>resolve</c> warn and their checks fail.
    /// </summary>
    public IReadOnlyList<Finding> Problems { get; }

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="BadInputException">Unreadable, not UTF-8, invalid YAML/JSON, or no known format.</exception>
    public static DeploymentFile Read(string path) => Read(path, path);

    /// <summary>
    /// Reads and parses <paramref name="path"/>; <paramref name="name"/> (the path as the user gave it, relative to
    /// a working directory) names the file in messages and findings.
    /// </summary>
    /// <exception cref="BadInputException">Unreadable, not UTF-8, invalid YAML/JSON, or no known format.</exception>
    public static DeploymentFile Read(string path, string name)
    {
        byte[] bytes;
        try
        {
            // Four system calls on Linux instead of .NET's nine (its locks among them): pin reads thousands of files.
            bytes = IO.LinuxFiles.TryReadAll(path) ?? File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{name}: cannot read it ({ex.Message})", ex);
        }

        return Parse(name, bytes);
    }

    /// <summary>Parses <paramref name="bytes"/>; <paramref name="name"/> names the file in messages and findings.</summary>
    /// <exception cref="BadInputException">Not UTF-8, invalid YAML/JSON, or no known format.</exception>
    public static DeploymentFile Parse(string name, ReadOnlySpan<byte> bytes)
    {
        var source = SourceText.Decode(bytes, name);
        var documents = ReadDocuments(name, source, SourceText.Body(bytes));
        try
        {
            var (format, images, problems) = ImageLocator.Locate(name, documents, source);
            return new DeploymentFile(name, source, format, images, problems);
        }
        catch (NestingTooDeepException ex)
        {
            throw new BadInputException(NestingLimit.Message(name, ex.Line > 0 ? ex.Line : source.Position(Math.Max(ex.Offset, 0)).Line), ex);
        }
    }

    /// <summary>The file's bytes with <paramref name="text"/> in place of its text (BOM kept).</summary>
    public byte[] Encode(string text) => Source.Encode(text);

    private static List<SyntaxNode> ReadDocuments(string name, SourceText source, ReadOnlySpan<byte> body)
    {
        try
        {
            return ReadDocumentsUnbounded(name, source, body);
        }
        catch (NestingTooDeepException ex)
        {
            throw new BadInputException(NestingLimit.Message(name, ex.Line), ex);
        }
    }

    private static List<SyntaxNode> ReadDocumentsUnbounded(string name, SourceText source, ReadOnlySpan<byte> body)
    {
        var text = source.Text;
        var first = text.AsSpan().TrimStart();
        if (first.Length > 0 && first[0] is '{' or '[')
        {
            try
            {
                return [JsonTreeReader.Read(body)];
            }
            catch (JsonException jsonError)
            {
                // A YAML flow mapping also starts with '{': a file not named .json that YAML reads is YAML.
                try
                {
                    if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    {
                        return ReadYaml(text);
                    }
                }
                catch (YamlException)
                {
                    // Report the JSON error: it is what the file looked like.
                }

                var line = jsonError.LineNumber is { } number ? $" at line {number + 1}" : "";
                throw new BadInputException($"{name}: invalid JSON{line}: {FirstLine(jsonError.Message)}", jsonError);
            }
        }

        try
        {
            return ReadYaml(text);
        }
        catch (YamlException ex)
        {
            var position = ex.Start.Line > 0 ? $":{ex.Start.Line}:{ex.Start.Column}" : "";
            throw new BadInputException($"{name}{position}: invalid YAML: {FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>The fast reader for the plain YAML most files are; YamlDotNet for the rest (and for every error).</summary>
    private static List<SyntaxNode> ReadYaml(string text) => PlainYamlReader.TryRead(text) ?? YamlTreeReader.Read(text);

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? message : message[..end];

        // System.Text.Json appends its own zero-based position; the message already names the line.
        var position = line.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return position < 0 ? line : line[..position];
    }
}
