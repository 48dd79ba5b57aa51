namespace TagForge.IO;

/// <summary>An environment made of given variables: for tests and for build scripts that set their own.</summary>
public sealed class DictionaryEnvironment : IEnvironmentVariables
{
    private readonly IReadOnlyDictionary<string, string> _variables;

    /// <summary>Creates an environment holding exactly <paramref name="variables"/>.</summary>
    public DictionaryEnvironment(IReadOnlyDictionary<string, string> variables) => _variables = variables;

    /// <summary>An environment with no variables set.</summary>
    public static DictionaryEnvironment Empty { get; } = new(new Dictionary<string, string>());

    /// <inheritdoc />
    public string? Read(string name) =>
        _variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
