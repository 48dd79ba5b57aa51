using System.CommandLine;
using TagForge.Engine;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge plan -o plan.json</c>: decide a matrix release once (the images of images:, or the one <c>--image</c>); prints the matrix of build jobs.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var options = new ReleaseOptions(build: true, push: true);
        var multi = new MultiImageOptions();
        var output = new Option<string>("--output", "-o") { Description = "The plan file to write", DefaultValueFactory = _ => "plan.json" };
        var command = new Command("plan", "Decide a release of images: once (tags, content hashes, builds needed) for a CI matrix: prints the matrix");
        options.AddTo(command);
        multi.AddTo(command, withPlan: false);
        command.Add(output);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var release = options.ToRequest(parseResult);
            using var services = CommandServices.Create(parseResult);
            var request = new PlanRequest
            {
                // --image plans that one image (a plan of one entry, as `release --image` runs); else the images of images:.
                Release = multi.ToRequest(parseResult, release) with
                {
                    Only = parseResult.GetValue(multi.Only) ?? [],
                    OneImage = release.Image is not null && !multi.Selected(parseResult),
                },
                Output = parseResult.GetValue(output),
            };
            var result = await PlanOperation.RunAsync(request, services, cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(result.Plan.MatrixJson()).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
