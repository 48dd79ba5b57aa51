using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace TagForge.Testing;

/// <summary>One step's run, as a runner would log it.</summary>
public sealed record ActionStepRun(string Name, bool Skipped, ProcessResult? Result);

/// <summary>What running a composite action produced.</summary>
public sealed record ActionRun(IReadOnlyList<ActionStepRun> Steps, IReadOnlyDictionary<string, string> Outputs, bool Succeeded)
{
    public string Log => string.Join("\n", Steps.Select(step => $"=== {step.Name}{(step.Skipped ? " (skipped)" : "")}\n{step.Result}"));
}

/// <summary>
/// Runs a composite action's <c>run:</c> steps the way the GitHub runner does: <c>bash --noprofile --norc -eo pipefail</c>,
/// a fresh <c>GITHUB_OUTPUT</c> per step, <c>GITHUB_PATH</c> additions carried to later steps, <c>${{ inputs.* }}</c>,
/// <c>${{ github.action_path }}</c> and <c>steps.*.outputs.*</c> expressions, and <c>if: inputs.x != ''</c> conditions.
/// Only the expression forms TagForge's action.yml uses are understood; anything else fails loudly.
/// </summary>
public static partial class CompositeActionRunner
{
    public static async Task<ActionRun> RunAsync(
        string actionPath,
        IReadOnlyDictionary<string, string> inputs,
        IReadOnlyDictionary<string, string?> environment,
        string workspace,
        string runnerTemp,
        string? stopAfter = null,
        CancellationToken cancellationToken = default)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(actionPath))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Mapping(root, "inputs").Children)
        {
            values[Scalar(key)] = ((YamlMappingNode)value).Children.TryGetValue("default", out var defaultValue) ? Scalar(defaultValue) : "";
        }

        foreach (var (name, value) in inputs)
        {
            if (!values.ContainsKey(name))
            {
                throw new InvalidOperationException($"action.yml has no input '{name}'");
            }

            values[name] = value;
        }

        var actionDirectory = Path.GetDirectoryName(Path.GetFullPath(actionPath))!;
        var stepOutputs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var path = environment.TryGetValue("PATH", out var basePath) && basePath is not null ? basePath : Environment.GetEnvironmentVariable("PATH") ?? "";
        var githubPath = Path.Combine(runnerTemp, "github_path");
        File.WriteAllText(githubPath, "");
        var runs = new List<ActionStepRun>();
        var succeeded = true;
        var index = 0;
        foreach (var stepNode in ((YamlSequenceNode)Mapping(root, "runs").Children["steps"]).Children.Cast<YamlMappingNode>())
        {
            index++;
            var step = stepNode.Children.ToDictionary(pair => Scalar(pair.Key), pair => pair.Value);
            var name = step.TryGetValue("name", out var n) ? Scalar(n) : $"step {index}";
            if (!succeeded || (step.TryGetValue("if", out var condition) && !Condition(Scalar(condition), values)))
            {
                runs.Add(new ActionStepRun(name, Skipped: true, Result: null));
                continue;
            }

            var script = Path.Combine(runnerTemp, $"step-{index}.sh");
            File.WriteAllText(script, Scalar(step["run"]));
            var output = Path.Combine(runnerTemp, $"github_output_{index}");
            File.WriteAllText(output, "");
            var stepEnvironment = new Dictionary<string, string?>(environment)
            {
                ["PATH"] = path,
                ["GITHUB_OUTPUT"] = output,
                ["GITHUB_PATH"] = githubPath,
                ["GITHUB_ACTION_PATH"] = actionDirectory,
                ["RUNNER_TEMP"] = runnerTemp,
                ["GITHUB_WORKSPACE"] = workspace,
            };
            if (step.TryGetValue("env", out var env))
            {
                foreach (var (key, value) in ((YamlMappingNode)env).Children)
                {
                    stepEnvironment[Scalar(key)] = Expand(Scalar(value), values, actionDirectory, stepOutputs);
                }
            }

            var directory = step.TryGetValue("working-directory", out var wd)
                ? Path.GetFullPath(Expand(Scalar(wd), values, actionDirectory, stepOutputs), workspace)
                : workspace;
            var result = await ProcessRunner.RunAsync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], directory, stepEnvironment, cancellationToken: cancellationToken);
            runs.Add(new ActionStepRun(name, Skipped: false, result));
            if (step.TryGetValue("id", out var id))
            {
                stepOutputs[Scalar(id)] = ParseOutputs(File.ReadAllText(output));
            }

            foreach (var added in File.ReadAllLines(githubPath).Where(line => line.Length > 0).Reverse())
            {
                path = $"{added}:{path}";
            }

            File.WriteAllText(githubPath, "");
            succeeded = result.ExitCode == 0;
            if (name == stopAfter)
            {
                break;
            }
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.Children.TryGetValue("outputs", out var outputsNode))
        {
            foreach (var (key, value) in ((YamlMappingNode)outputsNode).Children)
            {
                outputs[Scalar(key)] = Expand(Scalar(((YamlMappingNode)value).Children["value"]), values, actionDirectory, stepOutputs);
            }
        }

        return new ActionRun(runs, outputs, succeeded);
    }

    /// <summary>Parses a <c>GITHUB_OUTPUT</c> file: <c>name=value</c> lines and <c>name&lt;&lt;DELIMITER</c> blocks.</summary>
    public static Dictionary<string, string> ParseOutputs(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var delimiter = line[(heredoc + 2)..];
                var body = new List<string>();
                while (++i < lines.Length && lines[i] != delimiter)
                {
                    body.Add(lines[i]);
                }

                outputs[line[..heredoc]] = string.Join('\n', body);
            }
            else if (equals > 0)
            {
                outputs[line[..equals]] = line[(equals + 1)..];
            }
        }

        return outputs;
    }

    private static bool Condition(string condition, Dictionary<string, string> inputs)
    {
        var match = NotEmptyCondition().Match(condition);
        return match.Success
            ? inputs[match.Groups[1].Value] != ""
            : throw new InvalidOperationException($"the test runner does not understand the condition '{condition}'");
    }

    private static string Expand(string text, Dictionary<string, string> inputs, string actionPath, Dictionary<string, Dictionary<string, string>> steps) =>
        Expression().Replace(text, match =>
        {
            var expression = match.Groups[1].Value;
            if (expression.StartsWith("inputs.", StringComparison.Ordinal))
            {
                return inputs[expression["inputs.".Length..]];
            }

            if (expression == "github.action_path")
            {
                return actionPath;
            }

            var step = StepOutput().Match(expression);
            if (step.Success)
            {
                return steps.TryGetValue(step.Groups[1].Value, out var outputs) && outputs.TryGetValue(step.Groups[2].Value, out var value) ? value : "";
            }

            throw new InvalidOperationException($"the test runner does not understand the expression '{expression}'");
        });

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[key];

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    [GeneratedRegex(@"\$\{\{\s*([^}]+?)\s*\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$")]
    private static partial Regex StepOutput();

    [GeneratedRegex(@"^inputs\.([A-Za-z0-9_-]+) != ''$")]
    private static partial Regex NotEmptyCondition();
}
