using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace TagForge.Architecture;

/// <summary>
/// The folders of src/TagForge.Core are layers and dependencies point down only. The table below is the one source of
/// truth for that picture; docs/architecture.md draws it and says what each folder holds (change both together).
/// The check runs on the compiled assembly (ArchUnitNET reads its IL), so a type counts as used when the code
/// really uses it: a <c>using</c> alone or a doc-comment <c>cref</c> does not; a field, a parameter, a base type, an
/// attribute, a call, a <c>new</c>, a <c>typeof</c> or a <c>catch</c> does, in any member, lambda or async method.
/// (Constants are copied into the IL where they are used and are no dependency.)
/// </summary>
public sealed partial class LayerTests
{
    /// <summary>
    /// Bottom to top. A folder (namespace <c>TagForge.&lt;Folder&gt;</c>, its sub-namespaces included) may use folders
    /// of lower layers only: never one above it, and never another folder of its own layer save the arrows in
    /// <see cref="SameLayerArrows"/>. See docs/architecture.md.
    /// </summary>
    internal static readonly string[][] Layers =
    [
        /* 0 */ ["Errors", "IO", "Values"],
        /* 1 */ ["Ci", "Git", "Config", "Records", "Containers", "Ecr"],
        /* 2 */ ["Tagging", "Registry", "Content"],
        /* 3 */ ["Pinning"],
        /* 4 */ ["Services"],
        /* 5 */ ["Release", "Operations", "Diagnostics"],
        /* 6 */ ["Engine"],
        /* 7 */ ["Tasks"],
    ];

    /// <summary>The only arrows allowed between two folders of the same layer.</summary>
    private static readonly (string From, string To)[] SameLayerArrows = [("IO", "Errors"), ("Values", "Errors")];

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Core =
        new(() => new ArchLoader().LoadAssemblies(typeof(Values.ImageReference).Assembly).Build());

    /// <summary>Every use of one type by another in TagForge.Core: what ArchUnitNET finds, and the caught exception types it does not see.</summary>
    private static readonly Lazy<List<Use>> Uses = new(() => [.. ArchUnitUses(), .. CaughtExceptions()]);

    public static TheoryData<string> Folders() => [.. Layers.SelectMany(folders => folders)];

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_uses_only_folders_of_lower_layers(string folder)
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var use in Uses.Value.Where(use => FolderOf(use.Namespace) == folder))
        {
            if (FolderOf(use.UsedNamespace) is { } used && used != folder && LayerOf(used) is { } usedLayer && !MayUse(folder, used))
            {
                violations.Add($"{use.Type} uses {use.UsedType}: {folder} (layer {LayerOf(folder)}) may not use {used} (layer {usedLayer})");
            }
        }

        Assert.True(violations.Count == 0, $"{violations.Count} forbidden dependencies of {folder}:\n{string.Join('\n', violations)}");
    }

    [Fact]
    public void Every_namespace_of_the_core_is_placed_in_a_layer()
    {
        var unplaced = Core.Value.Types
            .Where(type => FolderOf(type) is not { } folder || LayerOf(folder) is null)
            .Select(type => $"{Name(type.FullName)} is in namespace '{type.Namespace?.FullName}', which no layer of LayerTests holds: put its folder in a layer (and in docs/architecture.md)")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(unplaced.Count == 0, string.Join('\n', unplaced));
    }

    [Fact]
    public void Every_folder_of_the_table_exists_once()
    {
        var found = Core.Value.Types.Select(FolderOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var folders = Layers.SelectMany(layer => layer).ToList();

        Assert.Equal(folders.Distinct(StringComparer.Ordinal), folders);
        Assert.All(folders, folder => Assert.True(found.Contains(folder), $"the table names {folder}, but TagForge.Core has no namespace TagForge.{folder}"));
        Assert.All(SameLayerArrows, arrow => Assert.Equal(LayerOf(arrow.From), LayerOf(arrow.To)));
    }

    /// <summary>The dependencies ArchUnitNET reads from the IL: signatures, base types, attributes, calls, <c>new</c>, <c>typeof</c>.</summary>
    private static IEnumerable<Use> ArchUnitUses() =>
        from type in Core.Value.Types
        from dependency in type.Dependencies
        // ArchUnitNET shares one object between equally named generic parameters of different methods (the
        // TryGetTypeInfoForRuntimeCustomConverter<TJsonMetadataType> every JsonSerializerContext generates), so a
        // parameter's namespace can be another folder's; a generic parameter is not a dependency.
        where dependency.Target is not ArchUnitNET.Domain.GenericParameter
        select new Use(Name(type.FullName), type.Namespace?.FullName ?? "", Name(dependency.Target.FullName), dependency.Target.Namespace?.FullName ?? "");

    /// <summary>
    /// The type of every <c>catch (T)</c> in the assembly's method bodies, which ArchUnitNET 0.13.5 does not report
    /// (a layer-1 folder catching a <c>Registry</c> exception passed unnoticed), read with System.Reflection.Metadata.
    /// </summary>
    private static List<Use> CaughtExceptions()
    {
        using var pe = new PEReader(File.OpenRead(typeof(Values.ImageReference).Assembly.Location));
        var metadata = pe.GetMetadataReader();
        var uses = new List<Use>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var (ownerNamespace, owner) = NameOf(metadata, typeHandle);
            foreach (var methodHandle in metadata.GetTypeDefinition(typeHandle).GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                foreach (var region in pe.GetMethodBody(method.RelativeVirtualAddress).ExceptionRegions)
                {
                    if (region.Kind == ExceptionRegionKind.Catch && NameOf(metadata, region.CatchType) is var (caughtNamespace, caught) && caught.Length > 0)
                    {
                        uses.Add(new Use(Name(owner), ownerNamespace, Name(caught), caughtNamespace));
                    }
                }
            }
        }

        return uses;
    }

    /// <summary>The namespace and full name (nested types as <c>Outer+Inner</c>) of a type definition or reference; empty for anything else.</summary>
    private static (string Namespace, string FullName) NameOf(MetadataReader metadata, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                var definition = metadata.GetTypeDefinition((TypeDefinitionHandle)handle);
                if (definition.GetDeclaringType() is { IsNil: false } declaring)
                {
                    var (outerNamespace, outer) = NameOf(metadata, declaring);
                    return (outerNamespace, $"{outer}+{metadata.GetString(definition.Name)}");
                }

                return Qualified(metadata.GetString(definition.Namespace), metadata.GetString(definition.Name));
            case HandleKind.TypeReference:
                var reference = metadata.GetTypeReference((TypeReferenceHandle)handle);
                if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
                {
                    var (outerNamespace, outer) = NameOf(metadata, reference.ResolutionScope);
                    return (outerNamespace, $"{outer}+{metadata.GetString(reference.Name)}");
                }

                return Qualified(metadata.GetString(reference.Namespace), metadata.GetString(reference.Name));
            default:
                return ("", "");
        }

        static (string, string) Qualified(string ns, string name) => (ns, ns.Length == 0 ? name : $"{ns}.{name}");
    }

    private static bool MayUse(string folder, string used) =>
        LayerOf(used) < LayerOf(folder) || (LayerOf(used) == LayerOf(folder) && SameLayerArrows.Contains((folder, used)));

    private static int? LayerOf(string folder) => Array.FindIndex(Layers, layer => layer.Contains(folder)) is var index and >= 0 ? index : null;

    /// <summary>The folder a type lives in: <c>Registry</c> for <c>TagForge.Registry.Auth.X</c>; null outside <c>TagForge.*</c>.</summary>
    private static string? FolderOf(IType type) => FolderOf(type.Namespace?.FullName);

    private static string? FolderOf(string? ns) =>
        ns is not null && ns.StartsWith("TagForge.", StringComparison.Ordinal) ? ns.Split('.')[1] : null;

    /// <summary>A type's name without the compiler's nested types (closures, async state machines) it was found in.</summary>
    private static string Name(string fullName) => CompilerGenerated().Replace(fullName, "");

    [GeneratedRegex(@"\+<.*$")]
    private static partial Regex CompilerGenerated();

    /// <summary><paramref name="Type"/> (in <paramref name="Namespace"/>) uses <paramref name="UsedType"/> (in <paramref name="UsedNamespace"/>).</summary>
    private sealed record Use(string Type, string Namespace, string UsedType, string UsedNamespace);
}
