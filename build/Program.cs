using System.CommandLine;
using TagForge.Build;

var target = new Option<string[]>("--target", "-t")
{
    Description = "Targets to run (with their dependencies), e.g. --target Pack PublishAot; default: " + Build.DefaultTarget,
    AllowMultipleArgumentsPerToken = true,
};
var skip = new Option<bool>("--skip") { Description = "Run only the named targets, not their dependencies" };
var list = new Option<bool>("--list") { Description = "List the targets and what they depend on" };
var configuration = new Option<string>("--configuration", "-c") { Description = "Build configuration", DefaultValueFactory = _ => "Release" };
var version = new Option<string?>("--version") { Description = "Version to stamp (default: what TagForge computes from git with the template {version})" };
var artifacts = new Option<string?>("--artifacts") { Description = "Where packages and binaries go (default: artifacts/)" };
var registry = new Option<string?>("--registry") { Description = "Registry the Release target pushes the sample image to, e.g. 127.0.0.1:5000" };

var root = new RootCommand("TagForge's build: Compile, Test, Pack, PublishAot, Release")
{
    target, skip, list, configuration, version, artifacts, registry,
};
// --version here sets the version to stamp; the parser's built-in --version (print own version) would shadow it.
foreach (var builtIn in root.Options.OfType<VersionOption>().ToList())
{
    root.Options.Remove(builtIn);
}

root.SetAction(parseResult =>
{
    var build = new Build(
        Build.FindRoot(),
        parseResult.GetValue(configuration)!,
        parseResult.GetValue(version),
        parseResult.GetValue(registry),
        parseResult.GetValue(artifacts));

    if (parseResult.GetValue(list))
    {
        foreach (var t in build.Targets)
        {
            var dependencies = string.Join(", ", t.Dependencies.Select(d => d.Name));
            Console.WriteLine($"{t.Name,-12} {t.Description}{(dependencies.Length > 0 ? $" (after {dependencies})" : "")}");
        }

        return 0;
    }

    var names = parseResult.GetValue(target) is { Length: > 0 } given ? given : [Build.DefaultTarget];
    var requested = new List<Target>();
    foreach (var name in names)
    {
        var found = build.Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        if (found is null)
        {
            Console.Error.WriteLine($"build: no target '{name}'; targets: {string.Join(", ", build.Targets.Select(t => t.Name))}");
            return 2;
        }

        requested.Add(found);
    }

    var plan = TargetRunner.Plan(requested, parseResult.GetValue(skip));
    Console.Error.WriteLine($"build: {string.Join(" → ", plan.Select(t => t.Name))}");
    return TargetRunner.Run(plan, Console.Error) ? 0 : 1;
});

return root.Parse(args).Invoke();
