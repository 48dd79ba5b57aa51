using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TagForge.Ci;
using TagForge.IO;
using TagForge.Engine;
using TagForge.Release;

namespace TagForge.Cli.Commands;

/// <summary>
/// How <c>tagforge release</c> reports: <c>--dry-run</c> prints the plan and changes nothing; the result is a readable
/// summary on a terminal, the bare reference when piped or in CI (<c>plain</c>), or JSON.
/// </summary>
internal sealed class ReleaseReport
{
    public Option<bool> DryRun { get; } = new("--dry-run", "-n") { Description = "Print the plan (tag, docker commands, registry checks, record) and change nothing" };

    public Option<string> Format { get; } = new("--format")
    {
        Description = "auto (a summary on a terminal, else plain), plain (repository@digest), summary, or json",
        DefaultValueFactory = _ => "auto",
    };

    public ReleaseReport() => Format.AcceptOnlyFromAmong("auto", "plain", "summary", "json");

    public void AddTo(Command command)
    {
        command.Add(DryRun);
        command.Add(Format);
    }

    /// <summary>Prints the plan (text, or JSON with <c>--format json</c>); exit 0 unless the plan shows it would fail (then 2).</summary>
    public int PrintPlan(ParseResult parseResult, OneImagePreview preview)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var (plan, entry) = (preview.Step, preview.Entry);
        if (parseResult.GetValue(Format) == "json")
        {
            // The plan file itself (what `tagforge plan` writes and the release runs), beside the step's commands.
            using var planJson = JsonDocument.Parse(preview.Plan.Serialize());
            var json = new ReleasePlanJson(
                true, plan.Image, plan.Tag.Tag, plan.Tag.Template, plan.Tag.Commit, plan.Tag.Dirty, plan.Tag.BuildNumber, plan.Commands, plan.LabelInstruction,
                new RegistryPlanJson(plan.TagState.ToString().ToLowerInvariant(), plan.RegistryDetail), plan.RecordPath, plan.Problems, planJson.RootElement.Clone());
            output.WriteLine(JsonSerializer.Serialize(json, ReadableJson.ReleasePlanJson));
            return plan.Problems.Count > 0 ? (int)Errors.ExitCode.BadInput : 0;
        }

        var text = new StringBuilder();
        text.Append("dry run: nothing is built, pushed or written\n");
        text.Append(CultureInfo.InvariantCulture, $"image     {plan.Image}\n");
        text.Append(CultureInfo.InvariantCulture, $"tag       {plan.Tag.Tag}  (template {plan.Tag.Template}; commit {plan.Tag.Commit[..Math.Min(12, plan.Tag.Commit.Length)]}{(plan.Tag.Dirty ? ", dirty" : "")}; build {plan.Tag.BuildNumber})\n");
        text.Append(CultureInfo.InvariantCulture, $"identity  {entry.ContentHash}\n");
        text.Append(CultureInfo.InvariantCulture, $"decision  {(entry.Build ? "build" : $"reuse {entry.Repository}@{entry.ReusedDigest}")}: {entry.Reason}\n");
        text.Append(entry.Build ? "commands\n" : "commands (not run: the image is reused)\n");
        foreach (var command in plan.Commands)
        {
            text.Append("  ").Append(string.Join(' ', command.Select(Quote))).Append('\n');
            if (command is [_, "build", ..] or [_, "--storage-driver", _, "build", ..] && plan.LabelInstruction is { } label)
            {
                text.Append(CultureInfo.InvariantCulture, $"    ({ReleasePlanner.TemporaryFolder}/Dockerfile is the Dockerfile with this line appended: {label})\n");
            }
        }

        text.Append("registry\n");
        text.Append(CultureInfo.InvariantCulture, $"  {plan.TagState.ToString().ToLowerInvariant()}: {plan.RegistryDetail}\n");
        text.Append("record\n");
        text.Append(plan.RecordPath is { } record ? $"  merge the entry into {record}\n" : "  none (--no-record)\n");
        foreach (var problem in plan.Problems)
        {
            text.Append(CultureInfo.InvariantCulture, $"problem   {problem}\n");
        }

        output.Write(text.ToString());
        return plan.Problems.Count > 0 ? (int)Errors.ExitCode.BadInput : 0;
    }

    /// <summary>Prints what a release did, in the format asked for.</summary>
    public void Print(ParseResult parseResult, ReleaseResult result, TimeSpan elapsed)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var format = parseResult.GetValue(Format);
        var recordPath = result.RecordPath;
        if (format == "auto")
        {
            // A person at a terminal gets the summary; pipes, files and CI logs get the one line scripts read.
            var interactive = ReferenceEquals(RedactingWriter.Unwrap(output), Console.Out) && !Console.IsOutputRedirected && CiDetector.Detect(ProcessEnvironment.Instance).IsLocal;
            format = interactive ? "summary" : "plain";
        }

        switch (format)
        {
            case "json":
                var json = new ReleaseJson(result.Tag, result.Digest, result.Reference, result.ImageId, recordPath, result.Pushed, Math.Round(elapsed.TotalSeconds, 1));
                output.WriteLine(JsonSerializer.Serialize(json, ReleaseJsonContext.Default.ReleaseJson));
                break;
            case "summary":
                output.WriteLine(result.Pushed ? "released" : "already released (nothing pushed)");
                output.WriteLine($"  tag        {result.Tag}");
                output.WriteLine($"  digest     {result.Digest}");
                output.WriteLine($"  reference  {result.Reference}");
                if (recordPath is not null)
                {
                    output.WriteLine($"  record     {recordPath}");
                }

                if (result.BuiltWith is { } builtWith)
                {
                    output.WriteLine($"  built with {builtWith}");
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  took       {elapsed.TotalSeconds:0.0} s"));
                break;
            default:
                output.WriteLine(result.Reference);
                break;
        }
    }

    /// <summary>Plans quote placeholders (&lt;temp&gt;): keep them readable rather than \u003C-escaped.</summary>
    private static readonly ReleaseJsonContext ReadableJson = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    });

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@<>+,".Contains(c, StringComparison.Ordinal)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

/// <summary>The shape of <c>tagforge release --format json</c>.</summary>
internal sealed record ReleaseJson(string Tag, string? Digest, string? Reference, string ImageId, string? Record, bool Pushed, double Seconds);

/// <summary>The shape of <c>tagforge release --dry-run --format json</c>.</summary>
internal sealed record ReleasePlanJson(
    bool DryRun,
    string Image,
    string Tag,
    string Template,
    string Commit,
    bool Dirty,
    string Build,
    IReadOnlyList<IReadOnlyList<string>> Commands,
    string? LabelInstruction,
    RegistryPlanJson Registry,
    string? Record,
    IReadOnlyList<string> Problems,
    JsonElement Plan);

/// <summary>What the registry said, in a plan.</summary>
internal sealed record RegistryPlanJson(string State, string Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReleaseJson))]
[JsonSerializable(typeof(ReleasePlanJson))]
internal sealed partial class ReleaseJsonContext : JsonSerializerContext;
