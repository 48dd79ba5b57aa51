namespace TagForge.Containers;

/// <summary>One rendered <c>docker build</c>.</summary>
/// <param name="Arguments">docker's arguments, after the executable.</param>
/// <param name="IidFile">Where docker writes the image id (<c>--iidfile</c>).</param>
/// <param name="LabelledDockerfile">The copy of the Dockerfile that carries the labels, or null when they go on the command line.</param>
/// <param name="LabelInstruction">The <c>LABEL</c> line appended to that copy, or null.</param>
public sealed record DockerBuildCommand(IReadOnlyList<string> Arguments, string IidFile, string? LabelledDockerfile, string? LabelInstruction);
