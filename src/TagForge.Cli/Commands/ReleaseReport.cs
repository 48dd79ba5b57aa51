using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TagForge.Ci;
using TagForge.IO;
using TagForge.Registry;
using TagForge.Registry.Auth;
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

    /// <summary>Plans the release and prints the plan; exit 0 unless the plan shows it would fail (then 2).</summary>
    public static async Task<int> PlanAsync(ParseResult parseResult, ReleaseRequest request, CancellationToken cancellationToken)
    {
        var environment = request.Environment ?? ProcessEnvironment.Instance;
        using var registry = new RegistryClient(new RegistryClientOptions
        {
            Credentials = RegistryCredentialSources.Default(environment, explicitCredentials: request.Credential is { } credential ? new ExplicitCredentialSource(credential) : null),
            InsecureRegistries = request.InsecureRegistries,
            MaxRetryAttempts = 0,
        });
        var plan = await ReleasePlanner.PlanAsync(request, registry, cancellationToken).ConfigureAwait(false);
        var output = parseResult.InvocationConfiguration.Output;
        var text = new StringBuilder();
        text.Append("dry run: nothing is built, pushed or written\n");
        text.Append(CultureInfo.InvariantCulture, $"image     {plan.Image}\n");
        text.Append(CultureInfo.InvariantCulture, $"tag       {plan.Tag.Tag}  (template {plan.Tag.Template}; commit {plan.Tag.Commit[..Math.Min(12, plan.Tag.Commit.Length)]}{(plan.Tag.Dirty ? ", dirty" : "")}; build {plan.Tag.BuildNumber})\n");
        text.Append("commands\n");
        foreach (var command in plan.Commands)
        {
            text.Append("  ").Append(string.Join(' ', command.Select(Quote))).Append('\n');
        }

        text.Append("registry\n");
        text.Append(CultureInfo.InvariantCulture, $"  {plan.TagState.ToString().ToLowerInvariant()}: {plan.RegistryDetail}\n");
        text.Append("record\n");
        text.Append(plan.RecordPath is { } record ? $"  merge the entry into {record}\n" : "  none (--no-record)\n");
        foreach (var problem in plan.Problems)
        {
            text.Append(CultureInfo.InvariantCulture, $"problem   {problem}\n");
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        return plan.Problems.Count > 0 ? (int)Errors.ExitCode.BadInput : 0;
    }

    /// <summary>Prints what a release did, in the format asked for.</summary>
    public void Print(ParseResult parseResult, ReleaseResult result, string? recordPath, TimeSpan elapsed)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var format = parseResult.GetValue(Format);
        if (format == "auto")
        {
            // A person at a terminal gets the summary; pipes, files and CI logs get the one line scripts read.
            var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && CiDetector.Detect(ProcessEnvironment.Instance).IsLocal;
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

                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  took       {elapsed.TotalSeconds:0.0} s"));
                break;
            default:
                output.WriteLine(result.Reference);
                break;
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@<>+,".Contains(c, StringComparison.Ordinal)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

/// <summary>The shape of <c>tagforge release --format json</c>.</summary>
internal sealed record ReleaseJson(string Tag, string? Digest, string? Reference, string ImageId, string? Record, bool Pushed, double Seconds);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReleaseJson))]
internal sealed partial class ReleaseJsonContext : JsonSerializerContext;
