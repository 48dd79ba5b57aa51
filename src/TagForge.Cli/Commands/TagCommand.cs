using System.CommandLine;
using TagForge.Operations;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge tag</c>: prints (or writes) one tag.</summary>
internal static class TagCommand
{
    public static Command Create()
    {
        var tagOptions = new TagOptions();
        var format = new Option<string>("--format", "-f")
        {
            Description = "plain (the tag), json (the tag and every input), dotenv (NAME=tag) or github (appends to $GITHUB_OUTPUT)",
            DefaultValueFactory = _ => "plain",
        };
        format.AcceptOnlyFromAmong("plain", "json", "dotenv", "github");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (atomically) instead of stdout" };
        var name = new Option<string?>("--name") { Description = "Variable name for dotenv (default IMAGE_TAG) and github (default tag)" };

        var command = new Command("tag", "Print a unique, valid, sortable image tag from git, the CI build and the time");
        tagOptions.AddTo(command);
        command.Add(format);
        command.Add(output);
        command.Add(name);

        command.SetAction(parseResult =>
        {
            var request = new TagOutputRequest
            {
                Tag = tagOptions.ToRequest(parseResult),
                Format = parseResult.GetValue(format) switch
                {
                    "json" => TagFormat.Json,
                    "dotenv" => TagFormat.Dotenv,
                    "github" => TagFormat.GitHub,
                    _ => TagFormat.Plain,
                },
                OutputPath = parseResult.GetValue(output),
                VariableName = parseResult.GetValue(name),
            };
            using var services = CommandServices.Create(parseResult);
            var result = TagOperation.Run(request, services);
            parseResult.InvocationConfiguration.Output.Write(result.Output);
            if (result.WrittenTo is { } path)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"{CliApp.Prefix} wrote {result.Tag.Tag} to {path}");
            }

            return 0;
        });
        return command;
    }
}
