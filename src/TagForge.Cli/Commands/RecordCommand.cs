using System.CommandLine;
using TagForge.Operations;
using TagForge.Records;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge record get</c>: one value from the build record, for a deploy script.</summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var image = new Option<string>("--image", "-i") { Description = "The repository as released (or its normalised name)", Required = true };
        var field = new Option<string>("--field") { Description = "reference (repository@digest), digest or tag", DefaultValueFactory = _ => "reference" };
        field.AcceptOnlyFromAmong("reference", "digest", "tag");
        var record = new Option<string>("--record") { Description = "The build record", DefaultValueFactory = _ => BuildRecordFile.DefaultPath };
        var platform = new Option<string?>("--platform") { Description = "The manifest of one platform of an index (linux/arm64) instead of the index" };

        var get = new Command("get", "Print one value of an image's entry: reference, digest or tag");
        get.Add(image);
        get.Add(field);
        get.Add(record);
        get.Add(platform);
        get.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var request = new RecordGetRequest
            {
                Record = parseResult.GetValue(record),
                Image = parseResult.GetValue(image),
                Platform = parseResult.GetValue(platform),
                Field = parseResult.GetValue(field) switch
                {
                    "digest" => RecordField.Digest,
                    "tag" => RecordField.Tag,
                    _ => RecordField.Reference,
                },
            };
            var result = await RecordGetOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(result.Value).ConfigureAwait(false);
            return 0;
        });

        return new Command("record", "Read the build record (tagforge.json), or merge a matrix's partial records") { get, RecordMergeCommand.Create() };
    }
}
