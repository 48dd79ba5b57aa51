using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using TagForge.Operations;
using TagForge.Registry;
using TagForge.Services;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge promote SOURCE DESTINATION</c>: the same digest under another tag, repository or registry.</summary>
internal static class PromoteCommand
{
    public static Command Create()
    {
        var references = new Argument<string[]>("SOURCE DESTINATION")
        {
            Description = "SOURCE (repo:tag or repo@sha256:…; left out with --image) and DESTINATION (a tag in the same repository, or repo[:tag])",
            Arity = new ArgumentArity(1, 2),
        };
        var record = new Option<string?>("--record") { Description = "The build record: the promotion is recorded there (and --image reads the source from it; default tagforge.json)" };
        var image = new Option<string?>("--image") { Description = "Promote this record entry (its name in tagforge.yml, or its repository) instead of SOURCE" };
        var noSignatures = new Option<bool>("--no-signatures") { Description = "Do not copy OCI referrers and sha256-<hex>.sig/.att/.sbom tags with the image" };
        var replaceSignatures = new Option<bool>("--replace-signatures") { Description = "Replace the destination's sha256-<hex>.sig/.att/.sbom and referrers tags that hold another digest (default: leave them and warn)" };
        var quiet = ProgressOptions.Quiet();
        var allowOverwrite = new Option<bool>("--allow-overwrite") { Description = "Move a destination tag that holds another image (exit 3 without)" };
        var backupTag = new Option<string?>("--backup-tag") { Description = "With --allow-overwrite: keep the replaced image under this tag first ({tag}: the destination tag, {digest}: 12 hex of the old digest), e.g. {tag}-previous" };
        var dotenv = new Option<string?>("--dotenv") { Description = "Write IMAGE_TAG, IMAGE_DIGEST and IMAGE_REF of the destination to this file" };
        var concurrency = ConcurrencyOptions.MaxConcurrency();
        var insecure = new Option<string[]>("--insecure-registry") { Description = "Speak plain http to this registry (loopback always is); repeatable" };
        var format = DeploymentOptions.FormatOption();
        format.Description = "text (the destination reference) or json (what was copied, mounted and skipped)";
        var ecr = new EcrOptions();
        var command = new Command("promote", "Put a tested image under another tag, repository or registry with the same digest (every platform, with signatures)")
        {
            references, record, image, noSignatures, replaceSignatures, allowOverwrite, backupTag, dotenv, concurrency, insecure, format, quiet,
        };
        ecr.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var given = parseResult.GetValue(references)!;
            var fromRecord = parseResult.GetValue(image) is not null;
            if (given.Length != (fromRecord ? 1 : 2))
            {
                throw new Errors.BadInputException(fromRecord
                    ? "with --image, give only DESTINATION (the source is the record's entry)"
                    : "give SOURCE and DESTINATION (or --image NAME and DESTINATION)");
            }

            using var services = CommandServices.Create(parseResult, progress: !parseResult.GetValue(quiet));
            var request = new PromoteRequest
            {
                Source = fromRecord ? null : given[0],
                Destination = given[^1],
                Record = parseResult.GetValue(record),
                Image = parseResult.GetValue(image),
                NoSignatures = parseResult.GetValue(noSignatures),
                ReplaceSignatures = parseResult.GetValue(replaceSignatures),
                AllowOverwrite = parseResult.GetValue(allowOverwrite),
                BackupTag = parseResult.GetValue(backupTag),
                Dotenv = parseResult.GetValue(dotenv),
                MaxConcurrency = parseResult.GetValue(concurrency),
                Registry = new RegistryAccess { InsecureRegistries = parseResult.GetValue(insecure), Ecr = ecr.Settings(parseResult) },
            };
            var result = await PromoteOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            var stdout = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(format) == "json")
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(ToJson(result), PromoteJsonContext.Default.PromoteJson)).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync($"{result.Destination.Name}:{result.Destination.Tag}@{result.Digest}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static PromoteJson ToJson(PromoteResult result)
    {
        var blobs = result.Copy?.Blobs ?? [];
        IReadOnlyList<BlobJson> Of(BlobAction action) => [.. blobs.Where(blob => blob.Action == action).Select(blob => new BlobJson(blob.Digest.ToString(), blob.Size))];
        return new PromoteJson(
            result.Source.ToString(),
            $"{result.Destination.Name}:{result.Destination.Tag}",
            result.Digest.ToString(),
            result.Kind.ToString().ToLowerInvariant(),
            result.AlreadyThere,
            result.Replaced?.ToString(),
            result.BackupTag,
            Of(BlobAction.Copied),
            Of(BlobAction.Mounted),
            Of(BlobAction.Skipped),
            result.Copy?.BytesCopied ?? 0,
            [.. (result.Copy?.Manifests ?? []).Where(manifest => !manifest.Existed).Select(manifest => new ManifestJson(manifest.Digest.ToString(), manifest.MediaType, manifest.Target))],
            result.Copy?.SignatureTags ?? [],
            [.. (result.Copy?.Referrers ?? []).Select(digest => digest.ToString())],
            [.. (result.Copy?.LeftAlone ?? []).Select(kept => new LeftAloneJson($"{kept.Tag.Name}:{kept.Tag.Tag}", kept.Previous?.ToString(), kept.Digest.ToString()))],
            [.. (result.Copy?.ExternalLayers ?? []).Select(digest => digest.ToString())],
            result.RecordPath);
    }
}

internal sealed record BlobJson(string Digest, long Size);

internal sealed record ManifestJson(string Digest, string MediaType, string Target);

/// <summary>A signature or referrers tag at the destination that holds another digest and was left as it is.</summary>
internal sealed record LeftAloneJson(string Tag, string? Holds, string Source);

internal sealed record PromoteJson(
    string Source,
    string Destination,
    string Digest,
    string Kind,
    bool AlreadyThere,
    string? Replaced,
    string? BackupTag,
    IReadOnlyList<BlobJson> Copied,
    IReadOnlyList<BlobJson> Mounted,
    IReadOnlyList<BlobJson> Skipped,
    long BytesCopied,
    IReadOnlyList<ManifestJson> Manifests,
    IReadOnlyList<string> SignatureTags,
    IReadOnlyList<string> Referrers,
    IReadOnlyList<LeftAloneJson> LeftAlone,
    IReadOnlyList<string> ExternalLayers,
    string? Record);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PromoteJson))]
internal sealed partial class PromoteJsonContext : JsonSerializerContext;
