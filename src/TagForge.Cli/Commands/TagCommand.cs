using System.CommandLine;
using System.Text.Json;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Records;
using TagForge.Tagging;

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
            var result = TagGenerator.Generate(tagOptions.ToRequest(parseResult));
            var outputPath = parseResult.GetValue(output);
            var formatName = parseResult.GetValue(format);
            var variable = parseResult.GetValue(name);
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;

            if (formatName == "github")
            {
                var target = outputPath ?? ProcessEnvironment.Instance.Read("GITHUB_OUTPUT")
                    ?? throw new BadInputException("--format github appends to $GITHUB_OUTPUT, which is not set; pass --output FILE outside GitHub Actions");
                KeyValueOutputs.AppendToFile(target, KeyValueOutputs.FormatGitHub([new(variable ?? "tag", result.Tag)]));
                stdout.WriteLine(result.Tag);
                return 0;
            }

            var text = formatName switch
            {
                "json" => JsonSerializer.Serialize(TagJson.From(result), CliJsonContext.Default.TagJson) + "\n",
                "dotenv" => KeyValueOutputs.FormatDotenv([new(variable ?? "IMAGE_TAG", result.Tag)]),
                _ => result.Tag + "\n",
            };

            if (outputPath is null)
            {
                stdout.Write(text);
            }
            else
            {
                AtomicFile.WriteAllText(outputPath, text);
                stderr.WriteLine($"{CliApp.Prefix} wrote {result.Tag} to {outputPath}");
            }

            return 0;
        });
        return command;
    }
}
