namespace TagForge.Containers;

/// <summary>What every builder's tool says about itself, for <c>doctor</c> and the release summary.</summary>
public interface IBuilderTool
{
    /// <summary>Which builder this is.</summary>
    BuilderKind Kind { get; }

    /// <summary>The executable run.</summary>
    string Executable { get; }

    /// <summary>One line: the tool's version and where it builds.</summary>
    Task<string> DescribeAsync(CancellationToken cancellationToken = default);
}
