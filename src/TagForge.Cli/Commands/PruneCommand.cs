using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TagForge.Operations;
using TagForge.Services;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge prune REPOSITORY</c>: plan (and with --apply, delete) what nothing deployed or recorded keeps.</summary>
internal static class PruneCommand
{
    private static readonly string[] Header = ["TAG", "DIGEST", "AGE", "PLAN", "WHY"];

    public static Command Create()
    {
        var repository = new Argument<string>("REPOSITORY") { Description = "The repository: registry/path" };
        var keepRecord = new Option<string[]>("--keep-record") { Description = "Keep every digest this build record references; repeatable", AllowMultipleArgumentsPerToken = true };
        var keepPinned = new Option<string[]>("--keep-pinned") { Description = "Keep every image these deployment files or directories reference (as pin/verify read them); repeatable", AllowMultipleArgumentsPerToken = true };
        var keepLast = new Option<int?>("--keep-last") { Description = "Keep the newest N releases (an index with its platform and signature tags counts once; by created time, tag order where unknown)" };
        var keepNewerThan = new Option<string?>("--keep-newer-than") { Description = "Keep releases created less than this long ago: 30d, 12h, 2w" };
        var acceptUnreadable = new Option<bool>("--accept-unreadable") { Description = "Prune although some image positions in the keep files cannot be resolved (a variable, an empty Helm tag); what they name is not kept" };
        var keepNothing = new Option<bool>("--keep-nothing-i-am-sure") { Description = "Allow a prune with no keep set at all (everything is deletable)" };
        var apply = new Option<bool>("--apply") { Description = "Delete what the plan says may go (without it nothing is deleted)" };
        var check = new Option<bool>("--check") { Description = "Exit 3 when a digest the keep set references no longer exists" };
        var concurrency = ConcurrencyOptions.MaxConcurrency();
        var insecure = new Option<string[]>("--insecure-registry") { Description = "Speak plain http to this registry (loopback always is); repeatable" };
        var format = DeploymentOptions.FormatOption();
        format.Description = "text (a table) or json";
        var ecr = new EcrOptions();
        var command = new Command("prune", "Plan which tags and manifests of a repository may go, never what is recorded or deployed; --apply deletes")
        {
            repository, keepRecord, keepPinned, keepLast, keepNewerThan, acceptUnreadable, keepNothing, apply, check, concurrency, insecure, format,
        };
        ecr.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var request = new PruneRequest
            {
                Repository = parseResult.GetValue(repository)!,
                KeepRecords = parseResult.GetValue(keepRecord) ?? [],
                KeepPinned = parseResult.GetValue(keepPinned) ?? [],
                KeepLast = parseResult.GetValue(keepLast),
                KeepNewerThan = parseResult.GetValue(keepNewerThan) is { } age ? PruneRequest.ParseAge(age) : null,
                KeepNothing = parseResult.GetValue(keepNothing),
                AcceptUnreadable = parseResult.GetValue(acceptUnreadable),
                Apply = parseResult.GetValue(apply),
                Check = parseResult.GetValue(check),
                MaxConcurrency = parseResult.GetValue(concurrency),
                Registry = new RegistryAccess { InsecureRegistries = parseResult.GetValue(insecure), Ecr = ecr.Settings(parseResult) },
            };
            var result = await PruneOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            var stdout = parseResult.InvocationConfiguration.Output;
            var now = services.Clock.GetUtcNow();
            if (parseResult.GetValue(format) == "json")
            {
                var json = new PruneJson(
                    result.Repository.Name,
                    result.Applied,
                    [.. result.Entries.Select(entry => new PruneEntryJson(entry.Tag, entry.Digest.ToString(), entry.Created, entry.Keep, entry.Reasons))],
                    [.. result.Deletable.Select(digest => digest.ToString())],
                    [.. result.Deleted.Select(digest => digest.ToString())],
                    [.. result.Spared.Select(digest => digest.ToString())],
                    [.. result.AlreadyGone.Select(digest => digest.ToString())],
                    [.. result.Missing.Select(missing => new PruneMissingJson(missing.Digest.ToString(), missing.Reasons))]);
                await stdout.WriteLineAsync(JsonSerializer.Serialize(json, PruneJsonContext.Default.PruneJson)).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteAsync(Table(result, now)).ConfigureAwait(false);
            }

            await parseResult.InvocationConfiguration.Error.WriteLineAsync($"{CliApp.Prefix} {result.Summary}").ConfigureAwait(false);
            return (int)result.ExitCode;
        });
        return command;
    }

    /// <summary>TAG, DIGEST (12 hex), AGE, KEEP/DELETE(D), WHY, padded into columns.</summary>
    internal static string Table(PruneResult result, DateTimeOffset now)
    {
        var rows = new List<string[]> { Header };
        foreach (var entry in result.Entries)
        {
            var plan = entry.Keep ? "keep" : result.Deleted.Contains(entry.Digest) ? "deleted" : result.AlreadyGone.Contains(entry.Digest) ? "gone" : result.Spared.Contains(entry.Digest) ? "spared" : "delete";
            rows.Add([entry.Tag, entry.Digest.Hex[..12], Age(entry.Created, now), plan, string.Join("; ", entry.Reasons)]);
        }

        var widths = Enumerable.Range(0, 4).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var builder = new StringBuilder();
        foreach (var row in rows)
        {
            for (var column = 0; column < 4; column++)
            {
                builder.Append(row[column].PadRight(widths[column] + 2));
            }

            builder.Append(row[4]).Append('\n');
        }

        return builder.ToString();
    }

    private static string Age(DateTimeOffset? created, DateTimeOffset now)
    {
        if (created is not { } time)
        {
            return "-";
        }

        var age = now - time;
        return age.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d")
            : age.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)age.TotalMinutes)}m");
    }
}

internal sealed record PruneEntryJson(string Tag, string Digest, DateTimeOffset? Created, bool Keep, IReadOnlyList<string> Reasons);

internal sealed record PruneMissingJson(string Digest, IReadOnlyList<string> Reasons);

internal sealed record PruneJson(
    string Repository,
    bool Applied,
    IReadOnlyList<PruneEntryJson> Tags,
    IReadOnlyList<string> Deletable,
    IReadOnlyList<string> Deleted,
    IReadOnlyList<string> Spared,
    IReadOnlyList<string> AlreadyGone,
    IReadOnlyList<PruneMissingJson> Missing);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PruneJson))]
internal sealed partial class PruneJsonContext : JsonSerializerContext;
