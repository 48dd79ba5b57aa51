using TagForge.Tagging;

namespace TagForge.Operations;

/// <summary><c>tagforge tag</c>: make one tag and hand it on in a format, to stdout or a file.</summary>
public sealed record TagOutputRequest
{
    /// <summary>What decides the tag.</summary>
    public TagRequest Tag { get; init; } = new();

    /// <summary>The format.</summary>
    public TagFormat Format { get; init; } = TagFormat.Plain;

    /// <summary>The file to write (atomically) or, for <see cref="TagFormat.GitHub"/>, to append to; stdout when null.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The variable name of <see cref="TagFormat.Dotenv"/> and <see cref="TagFormat.GitHub"/>.</summary>
    public string? VariableName { get; init; }
}
