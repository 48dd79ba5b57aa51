using System.CommandLine;
using TagForge.Ecr;

namespace TagForge.Cli.Commands;

/// <summary>
/// The ECR options of <c>release</c> and <c>push</c>: how ECR is found (<c>--ecr</c>, <c>--region</c>,
/// <c>--endpoint-url</c>) and whether a missing repository is created.
/// </summary>
internal sealed class EcrReleaseOptions
{
    private readonly EcrOptions _ecr = new();

    private readonly Option<bool> _createRepo = new("--create-repo") { Description = "ECR: create the repository when it is missing" };

    private readonly Option<bool> _immutableTags = new("--immutable-tags") { Description = "ECR: with --create-repo, create it with IMMUTABLE tags" };

    public void AddTo(Command command)
    {
        _ecr.AddTo(command);
        command.Add(_createRepo);
        command.Add(_immutableTags);
    }

    public EcrSettings Settings(ParseResult parseResult) => _ecr.Settings(parseResult);

    public bool CreateRepository(ParseResult parseResult) => parseResult.GetValue(_createRepo);

    public bool ImmutableTags(ParseResult parseResult) => parseResult.GetValue(_immutableTags);
}
