using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Pinning;

namespace TagForge.Cli.Commands;

/// <summary>What one deployment file contributed to a command's output.</summary>
internal sealed class FileOutcome
{
    public List<Finding> Findings { get; } = [];

    public List<PinChange> Changes { get; } = [];

    /// <summary>References that could not be checked because a registry failed (exit 1, never "missing").</summary>
    public List<Finding> Failures { get; } = [];

    /// <summary>Text for stdout (a diff, or the pinned text of stdin).</summary>
    public string? Output { get; set; }

    /// <summary>A one-line note for stderr (what was written).</summary>
    public string? Note { get; set; }

    public string? Error { get; set; }

    public string? File { get; set; }

    /// <summary>The file as read, for commands that read everything before asking registries.</summary>
    public DeploymentFile? Loaded { get; init; }
}

/// <summary>
/// The plumbing the deployment commands (pin, lint, verify, resolve) share: the paths argument, <c>--format</c>,
/// reading files in parallel with a per-file error for each bad one, and printing findings as text, JSON or
/// GitHub annotations, then the exit code (2 if any file was bad, else 1 if a registry failed, else 3 if any error
/// finding, else 0).
/// </summary>
internal static class DeploymentRun
{
    public static Argument<string[]> PathsArgument() => new("paths")
    {
        Description = "Deployment files or directories (walked for *.yaml, *.yml, *.json); - reads stdin",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<string> FormatOption()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "text (file:line:column: message) or json",
            DefaultValueFactory = _ => "text",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    /// <summary>
    /// Files in flight at once: more than the cores, because each atomic write waits for its fsync and the file
    /// system commits concurrent fsyncs together.
    /// </summary>
    private static int Parallelism => Math.Max(8, Environment.ProcessorCount * 2);

    /// <summary>Expands <paramref name="paths"/>, reads each file and runs <paramref name="work"/> on it, in parallel; results in path order.</summary>
    public static FileOutcome[] ForEachFile(string[] paths, Func<DeploymentFile, FileOutcome> work)
    {
        var files = DeploymentPaths.Expand(paths, out var missing);
        var stdin = files.Contains("-") ? ReadStdin() : null;
        var outcomes = new FileOutcome[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, i =>
        {
            try
            {
                var file = files[i] == "-" ? DeploymentFile.Parse("-", stdin) : DeploymentFile.Read(files[i]);
                outcomes[i] = work(file);
            }
            catch (TagForgeException ex) when (ex is BadInputException)
            {
                outcomes[i] = new FileOutcome { Error = ex.Message };
            }

            outcomes[i].File = files[i];
        });

        return [.. missing.Select(ex => new FileOutcome { Error = ex.Message }), .. outcomes];
    }

    /// <summary>Expands and reads every file (in parallel); bad ones come back as error outcomes.</summary>
    public static (List<DeploymentFile> Files, List<FileOutcome> Errors) LoadAll(string[] paths)
    {
        var outcomes = ForEachFile(paths, file => new FileOutcome { Loaded = file });
        return ([.. outcomes.Where(o => o.Loaded is not null).Select(o => o.Loaded!)], [.. outcomes.Where(o => o.Error is not null)]);
    }

    /// <summary>Prints outcomes and returns the exit code.</summary>
    public static int Report(ParseResult parseResult, string format, IReadOnlyList<FileOutcome> outcomes, string? summary = null)
    {
        // Buffered: thousands of files make thousands of lines, written at once at the end.
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            return Report(format, outcomes, summary, stdout, stderr);
        }
        finally
        {
            parseResult.InvocationConfiguration.Output.Write(stdout.ToString());
            parseResult.InvocationConfiguration.Error.Write(stderr.ToString());
        }
    }

    private static int Report(string format, IReadOnlyList<FileOutcome> outcomes, string? summary, StringWriter stdout, StringWriter stderr)
    {
        var github = string.Equals(ProcessEnvironment.Instance.Read("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);
        var annotations = format == "json" ? stderr : stdout;
        var findings = outcomes.SelectMany(outcome => outcome.Findings).ToList();
        var errors = outcomes.Where(outcome => outcome.Error is not null).Select(outcome => outcome.Error!).ToList();
        var failures = outcomes.SelectMany(outcome => outcome.Failures).ToList();

        foreach (var outcome in outcomes)
        {
            if (outcome.Output is not null)
            {
                stdout.Write(outcome.Output);
            }

            if (outcome.Note is not null)
            {
                stderr.WriteLine($"{CliApp.Prefix} {outcome.Note}");
            }
        }

        foreach (var error in errors)
        {
            stderr.WriteLine($"{CliApp.Prefix} error: {error}");
            if (github)
            {
                annotations.WriteLine($"::error::{Escape(error)}");
            }
        }

        foreach (var failure in failures)
        {
            stderr.WriteLine($"{CliApp.Prefix} error: {failure.File}:{failure.Line}:{failure.Column}: {failure.Message}");
            if (github)
            {
                annotations.WriteLine($"::error file={EscapeProperty(failure.File)},line={failure.Line},col={failure.Column}::{Escape(failure.Message)}");
            }
        }

        if (format == "json")
        {
            var report = new ReportJson(
                [.. findings.Select(f => new FindingJson(f.File, f.Line, f.Column, f.Severity == FindingSeverity.Error ? "error" : "warning", f.Code, f.Message, f.Reference))],
                [.. outcomes.SelectMany(o => o.Changes.Select(c => new ChangeJson(o.File ?? "", c.Site.Line, c.Site.Column, c.Before, c.After)))],
                [.. errors, .. failures.Select(f => $"{f.File}:{f.Line}:{f.Column}: {f.Message}")]);
            stdout.WriteLine(JsonSerializer.Serialize(report, ReadableJson.ReportJson));
        }
        else
        {
            foreach (var finding in findings)
            {
                var severity = finding.Severity == FindingSeverity.Error ? "error" : "warning";
                stdout.WriteLine($"{finding.File}:{finding.Line}:{finding.Column}: {severity}: {finding.Message}");
            }
        }

        if (github)
        {
            foreach (var finding in findings)
            {
                var level = finding.Severity == FindingSeverity.Error ? "error" : "warning";
                annotations.WriteLine($"::{level} file={EscapeProperty(finding.File)},line={finding.Line},col={finding.Column}::{Escape(finding.Message)}");
            }
        }

        if (summary is not null)
        {
            stderr.WriteLine($"{CliApp.Prefix} {summary}");
        }

        return errors.Count > 0 ? (int)ExitCode.BadInput
            : failures.Count > 0 ? (int)ExitCode.ExternalFailure
            : findings.Any(f => f.Severity == FindingSeverity.Error) ? (int)ExitCode.PolicyRefusal
            : (int)ExitCode.Ok;
    }

    /// <summary>Writes a pinned file: atomically in place, or to stdout for <c>-</c>.</summary>
    public static void Write(DeploymentFile file, string text, FileOutcome outcome)
    {
        if (file.Name == "-")
        {
            outcome.Output = (file.Source.HasBom ? "\uFEFF" : "") + text;
            return;
        }

        AtomicFile.WriteAllBytes(file.Name, file.Encode(text));
    }

    public static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {(noun.EndsWith('y') ? noun[..^1] + "ie" : noun)}s";

    /// <summary>Messages quote names ('latest'): keep them readable rather than \u0027-escaped.</summary>
    private static readonly DeploymentJsonContext ReadableJson = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    });

    private static byte[] ReadStdin()
    {
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }

    // GitHub workflow command escaping (actions/toolkit: escapeData / escapeProperty).
    private static string Escape(string text) => new StringBuilder(text).Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A").ToString();

    private static string EscapeProperty(string text) => new StringBuilder(Escape(text)).Replace(":", "%3A").Replace(",", "%2C").ToString();
}

internal sealed record ReportJson(IReadOnlyList<FindingJson> Findings, IReadOnlyList<ChangeJson> Changes, IReadOnlyList<string> Errors);

internal sealed record FindingJson(string File, int Line, int Column, string Severity, string Code, string Message, string? Reference);

internal sealed record ChangeJson(string File, int Line, int Column, string Before, string After);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReportJson))]
internal sealed partial class DeploymentJsonContext : JsonSerializerContext;
