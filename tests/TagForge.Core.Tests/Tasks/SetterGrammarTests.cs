using System.Reflection;
using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Tasks;

/// <summary>
/// One setter grammar for every task setting: <c>Set</c>/<c>Reset</c> a value, <c>Enable</c>/<c>Disable</c> a switch,
/// <c>Add</c>/<c>Remove</c>/<c>Clear</c> a list. Read from the compiled API, so a new setter that strays fails here.
/// </summary>
public class SetterGrammarTests
{
    private static readonly string[] Verbs = ["Set", "Reset", "Enable", "Disable", "Add", "Remove", "Clear"];

    private static IEnumerable<MethodInfo> Setters() =>
        typeof(TagForgeTasks).Assembly.GetExportedTypes()
            .Where(type => type.Namespace == "TagForge.Tasks" && type.IsAbstract && type.IsSealed && type.Name.EndsWith("Extensions", StringComparison.Ordinal))
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static));

    [Fact]
    public void Every_setter_starts_with_one_verb_of_the_grammar()
    {
        var strays = Setters().Where(method => !Verbs.Any(verb => method.Name.StartsWith(verb, StringComparison.Ordinal))).Select(method => $"{method.DeclaringType!.Name}.{method.Name}").ToList();

        Assert.True(strays.Count == 0, $"setters outside Set/Reset/Enable/Disable/Add/Remove/Clear: {string.Join(", ", strays)}");
    }

    [Fact]
    public void A_switch_is_turned_on_and_off_by_name_never_by_a_bool_argument()
    {
        var byBool = Setters().Where(method => method.GetParameters().Skip(1).Any(parameter => parameter.ParameterType == typeof(bool))).Select(method => $"{method.DeclaringType!.Name}.{method.Name}").ToList();

        Assert.True(byBool.Count == 0, $"setters taking a bool (use Enable/Disable): {string.Join(", ", byBool)}");
    }

    [Fact]
    public void Every_setting_of_a_plan_job_a_merge_and_release_all_has_its_setter()
    {
        var names = Setters().Select(method => (method.GetParameters()[0].ParameterType.Name, method.Name)).ToHashSet();

        Assert.Contains(("MonorepoSettings", "EnableSkipUnchanged"), names);
        Assert.Contains(("MonorepoSettings", "SetJobs"), names);
        Assert.Contains(("MonorepoSettings", "AddOnly"), names);
        Assert.Contains(("PlanSettings", "SetOutput"), names);
        Assert.Contains(("PlanReleaseSettings", "SetPlatform"), names);
        Assert.Contains(("MergeRecordsSettings", "EnablePushIndex"), names);
    }

    [Fact]
    public void Release_with_only_a_working_directory_is_one_overload_and_asks_for_the_image()
    {
        using var directory = new TempDirectory();

        // Compiles only while one Release overload takes this lambda (the plan job's is ReleasePlanJob).
        var error = Assert.Throws<BadInputException>(() => TagForgeTasks.Release(s => s.SetWorkingDirectory(directory.Path).SetEnvironment(new Dictionary<string, string>())));

        Assert.Contains("image", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
