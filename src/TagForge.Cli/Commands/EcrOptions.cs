using System.CommandLine;
using TagForge.Ecr;

namespace TagForge.Cli.Commands;

/// <summary>How a command finds Amazon ECR: <c>--ecr</c>, <c>--region</c>, <c>--endpoint-url</c> (release, push, verify, resolve).</summary>
internal sealed class EcrOptions
{
    public Option<bool> Ecr { get; } = new("--ecr") { Description = "Treat the registry as Amazon ECR even though its name is not <account>.dkr.ecr.<region>.amazonaws.com" };

    public Option<string?> Region { get; } = new("--region") { Description = "ECR: AWS region (default: the registry host's, else AWS_REGION)" };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url") { Description = "ECR: API endpoint (default: AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL, else the regional one)" };

    public void AddTo(Command command)
    {
        command.Add(Ecr);
        command.Add(Region);
        command.Add(EndpointUrl);
    }

    public EcrSettings Settings(ParseResult parseResult) =>
        new(parseResult.GetValue(Ecr), parseResult.GetValue(Region), parseResult.GetValue(EndpointUrl));
}
