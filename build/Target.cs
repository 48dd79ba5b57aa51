namespace TagForge.Build;

/// <summary>
/// A build target, declared the way Nuke declares them (<c>_ =&gt; _.DependsOn(Compile).Executes(...)</c>).
/// Nuke itself cannot be installed here, so this is the small part of it the build needs.
/// </summary>
internal sealed class Target
{
    private readonly List<Func<Target>> _dependencies = [];

    public Target(string name) => Name = name;

    public string Name { get; }

    public string Description { get; private set; } = "";

    public Action Action { get; private set; } = () => { };

    public IEnumerable<Target> Dependencies => _dependencies.Select(dependency => dependency());

    public Target Describe(string description)
    {
        Description = description;
        return this;
    }

    /// <summary>Depends on targets given lazily, so targets can be declared in any order.</summary>
    public Target DependsOn(params Func<Target>[] targets)
    {
        _dependencies.AddRange(targets);
        return this;
    }

    public Target Executes(Action action)
    {
        Action = action;
        return this;
    }
}
