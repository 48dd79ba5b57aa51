using System.CommandLine;
using TagForge.Errors;
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

        var get = new Command("get", "Print one value of an image's entry: reference, digest or tag");
        get.Add(image);
        get.Add(field);
        get.Add(record);
        get.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(record)!;
            var name = parseResult.GetValue(image)!;
            var entry = BuildRecordFile.Read(path).Find(name)
                ?? throw new BadInputException($"the build record {path} has no entry for {name}");
            parseResult.InvocationConfiguration.Output.WriteLine(parseResult.GetValue(field) switch
            {
                "digest" => entry.Digest,
                "tag" => entry.Tag,
                _ => entry.Reference,
            });
            return 0;
        });

        return new Command("record", "Read the build record (tagforge.json)") { get };
    }
}
