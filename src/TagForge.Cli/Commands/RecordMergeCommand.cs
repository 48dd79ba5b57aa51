using System.CommandLine;
using TagForge.Engine;
using TagForge.Records;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge record merge parts/*.json -o tagforge.json --push-index</c>: the last job of a matrix.</summary>
internal static class RecordMergeCommand
{
    public static Command Create()
    {
        var parts = new Argument<string[]>("PARTS") { Description = "The partial records the build jobs wrote", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The record to write", DefaultValueFactory = _ => BuildRecordFile.DefaultPath };
        var pushIndex = new Option<bool>("--push-index") { Description = "Push each image's OCI index of its platform manifests under the planned tag" };
        var plan = new Option<string?>("--plan") { Description = "The plan: every planned platform must have its part (else exit 1, no index pushed); its reused images are recorded too" };
        var allowOverwrite = new Option<bool>("--allow-overwrite") { Description = "Push the index even when the tag holds another digest" };
        var registry = new RegistryOptions();
        var command = new Command("merge", "Merge a matrix's partial records into one, pushing each image's index: prints one reference per image");
        command.Add(parts);
        command.Add(output);
        command.Add(pushIndex);
        command.Add(plan);
        command.Add(allowOverwrite);
        registry.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var request = new MergeRecordsRequest
            {
                Parts = parseResult.GetValue(parts) ?? [],
                Output = parseResult.GetValue(output),
                PushIndex = parseResult.GetValue(pushIndex),
                PlanPath = parseResult.GetValue(plan),
                AllowOverwrite = parseResult.GetValue(allowOverwrite),
                Registry = registry.Access(parseResult),
            };
            var result = await MergeRecordsOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            foreach (var image in result.Images)
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(image.Reference).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
