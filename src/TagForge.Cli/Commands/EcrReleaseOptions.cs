using System.CommandLine;
using Microsoft.Extensions.Logging;
using TagForge.Release;

namespace TagForge.Cli.Commands;

/// <summary>
/// The ECR options of <c>release</c> and <c>push</c>, and running the pipeline with ECR support when the image's
/// registry is ECR (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com</c>, or any host with <c>--ecr</c>).
/// </summary>
internal sealed class EcrReleaseOptions
{
    private readonly EcrOptions _ecr = new();

    public Option<bool> CreateRepo { get; } = new("--create-repo") { Description = "ECR: create the repository when it is missing" };

    public Option<bool> ImmutableTags { get; } = new("--immutable-tags") { Description = "ECR: with --create-repo, create it with IMMUTABLE tags" };

    public void AddTo(Command command)
    {
        _ecr.AddTo(command);
        command.Add(CreateRepo);
        command.Add(ImmutableTags);
    }

    /// <summary>Runs the release pipeline, with ECR support when the image is on ECR (<see cref="ReleaseRunner"/>).</summary>
    public Task<ReleaseResult> RunAsync(ParseResult parseResult, ReleaseRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        var options = new TagForge.Release.EcrReleaseOptions(_ecr.Settings(parseResult), parseResult.GetValue(CreateRepo), parseResult.GetValue(ImmutableTags));
        return ReleaseRunner.RunAsync(request, options, logger, cancellationToken);
    }
}
