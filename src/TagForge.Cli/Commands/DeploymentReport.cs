using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TagForge.IO;
using TagForge.Operations;
using TagForge.Pinning;

namespace TagForge.Cli.Commands;

/// <summary>
/// Prints what a deployment operation (pin, lint, verify, resolve) did: outputs on stdout, notes, warnings, bad
/// files and the summary on stderr, findings as text, JSON or GitHub annotations; then the result's exit code.
/// </summary>
internal static class DeploymentReport
{
    /// <summary>Prints <paramref name="result"/> and returns its exit code.</summary>
    public static int Print(ParseResult parseResult, string format, DeploymentResult result, IEnvironmentVariables environment)
    {
        // Buffered: thousands of files make thousands of lines, written at once at the end.
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            var github = string.Equals(environment.Read("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);
            Print(format, result, github, stdout, stderr);
            return (int)result.ExitCode;
        }
        finally
        {
            parseResult.InvocationConfiguration.Output.Write(stdout.ToString());
            parseResult.InvocationConfiguration.Error.Write(stderr.ToString());
        }
    }

    private static void Print(string format, DeploymentResult result, bool github, StringWriter stdout, StringWriter stderr)
    {
        var annotations = format == "json" ? stderr : stdout;
        foreach (var warning in result.Warnings)
        {
            stderr.WriteLine($"{CliApp.Prefix} warning: {warning}");
        }

        foreach (var file in result.Files)
        {
            if (file.Output is not null)
            {
                stdout.Write(file.Output);
            }

            if (file.Note is not null)
            {
                stderr.WriteLine($"{CliApp.Prefix} {file.Note}");
            }
        }

        foreach (var error in result.Errors)
        {
            stderr.WriteLine($"{CliApp.Prefix} error: {error}");
            if (github)
            {
                annotations.WriteLine($"::error::{Escape(error)}");
            }
        }

        foreach (var failure in result.Failures)
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
                [.. result.Findings.Select(f => new FindingJson(f.File, f.Line, f.Column, Severity(f), f.Code, f.Message, f.Reference))],
                [.. result.Files.SelectMany(o => o.Changes.Select(c => new ChangeJson(o.File, c.Site.Line, c.Site.Column, c.Before, c.After)))],
                [.. result.Errors, .. result.Failures.Select(f => $"{f.File}:{f.Line}:{f.Column}: {f.Message}")]);
            stdout.WriteLine(JsonSerializer.Serialize(report, ReadableJson.ReportJson));
        }
        else
        {
            foreach (var finding in result.Findings)
            {
                stdout.WriteLine($"{finding.File}:{finding.Line}:{finding.Column}: {Severity(finding)}: {finding.Message}");
            }
        }

        if (github)
        {
            foreach (var finding in result.Findings)
            {
                annotations.WriteLine($"::{Severity(finding)} file={EscapeProperty(finding.File)},line={finding.Line},col={finding.Column}::{Escape(finding.Message)}");
            }
        }

        if (result.Summary is not null)
        {
            stderr.WriteLine($"{CliApp.Prefix} {result.Summary}");
        }
    }

    private static string Severity(Finding finding) => finding.Severity == FindingSeverity.Error ? "error" : "warning";

    /// <summary>Messages quote names ('latest'): keep them readable rather than \u0027-escaped.</summary>
    private static readonly DeploymentJsonContext ReadableJson = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    });

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
