using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace TagForge.Cli.Tests.Architecture;

/// <summary>
/// Above the core sit two doors, siblings that do not know each other: the CLI (TagForge.Cli) and the Nuke-style task
/// API (TagForge.Tasks). Both call the same entry points of Release, Operations and Diagnostics, and the core knows
/// neither of them. The layers inside the core are checked by TagForge.Core.Tests/Architecture/LayerTests.cs; see
/// docs/architecture.md. (ArchUnitNET does not report the type of a <c>catch</c> clause; LayerTests adds those for
/// the core, this smaller check does not.)
/// </summary>
public sealed class CliLayerTests
{
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Loaded =
        new(() => new ArchLoader().LoadAssemblies(typeof(CliApp).Assembly, typeof(Tasks.TagForgeTasks).Assembly).Build());

    [Fact]
    public void The_cli_does_not_use_the_task_api()
    {
        var violations = Uses(fromNamespace: "TagForge.Cli", toNamespace: "TagForge.Tasks", "the CLI may not use the task API (the two doors are siblings)");

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void The_core_does_not_use_the_cli()
    {
        var violations = Uses(fromNamespace: null, toNamespace: "TagForge.Cli", "the core may not use the CLI (it sits above the core)");

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.DoesNotContain(typeof(CliApp).Assembly.GetName().Name, typeof(Tasks.TagForgeTasks).Assembly.GetReferencedAssemblies().Select(reference => reference.Name));
    }

    /// <summary>Dependencies of types in <paramref name="fromNamespace"/> (null: of the core assembly) on types in <paramref name="toNamespace"/>.</summary>
    private static List<string> Uses(string? fromNamespace, string toNamespace, string rule)
    {
        var core = typeof(Tasks.TagForgeTasks).Assembly.FullName;
        return [.. Loaded.Value.Types
            .Where(type => fromNamespace is null ? type.Assembly.FullName == core : In(type, fromNamespace))
            .SelectMany(type => type.Dependencies
                // ArchUnitNET can give a generic parameter another type's namespace; a generic parameter is not a dependency.
                .Where(dependency => dependency.Target is not GenericParameter && In(dependency.Target, toNamespace))
                .Select(dependency => $"{type.FullName} uses {dependency.Target.FullName}: {rule}"))
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }

    private static bool In(IType type, string name) =>
        type.Namespace?.FullName is { } full && (full == name || full.StartsWith(name + ".", StringComparison.Ordinal));
}
