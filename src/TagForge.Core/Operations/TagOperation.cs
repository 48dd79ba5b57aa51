using System.Text.Json;
using TagForge.Errors;
using TagForge.IO;
using TagForge.Records;
using TagForge.Services;
using TagForge.Tagging;

namespace TagForge.Operations;

/// <summary>The entry point of <c>tagforge tag</c> and <c>TagForgeTasks.Tag</c>.</summary>
public static class TagOperation
{
    /// <summary>The tag <paramref name="request"/> describes, from the services' environment, clock and working directory.</summary>
    /// <exception cref="BadInputException">Bad template, no repository, missing history, unset variable.</exception>
    /// <exception cref="PolicyRefusalException">The tree is dirty and <see cref="DirtyMode.Fail"/> was asked for.</exception>
    public static TagResult Generate(TagRequest request, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        return TagGenerator.Generate(
            request with { RepositoryPath = services.Resolve(request.RepositoryPath) ?? services.WorkingDirectory },
            services.Environment,
            services.Clock);
    }

    /// <summary>Makes the tag and writes it in the format asked for: to stdout (returned), a file (atomically), or <c>$GITHUB_OUTPUT</c>.</summary>
    /// <exception cref="BadInputException">As <see cref="Generate"/>; <see cref="TagFormat.GitHub"/> without <c>$GITHUB_OUTPUT</c> or a file; a file that cannot be written.</exception>
    public static TagOutputResult Run(TagOutputRequest request, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var result = Generate(request.Tag, services);
        if (request.Format == TagFormat.GitHub)
        {
            var target = services.Resolve(request.OutputPath) ?? services.Environment.Read("GITHUB_OUTPUT")
                ?? throw new BadInputException("--format github appends to $GITHUB_OUTPUT, which is not set; pass --output FILE outside GitHub Actions");
            KeyValueOutputs.AppendToFile(target, KeyValueOutputs.FormatGitHub([new(request.VariableName ?? "tag", result.Tag)]));
            return new TagOutputResult(result, result.Tag + "\n", null);
        }

        var text = request.Format switch
        {
            TagFormat.Json => JsonSerializer.Serialize(TagJson.From(result), TagJsonContext.Default.TagJson) + "\n",
            TagFormat.Dotenv => KeyValueOutputs.FormatDotenv([new(request.VariableName ?? "IMAGE_TAG", result.Tag)]),
            _ => result.Tag + "\n",
        };
        if (request.OutputPath is not { } path)
        {
            return new TagOutputResult(result, text, null);
        }

        AtomicFile.WriteAllText(services.Resolve(path)!, text);
        return new TagOutputResult(result, "", path);
    }
}
