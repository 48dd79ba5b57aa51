namespace TagForge.Release;

/// <summary>
/// What the caller calls the options a message may tell the user to set: <c>--create-repo</c> on the command line,
/// <c>EnableCreateRepository()</c> in a build script. Data, so one message serves both doors.
/// </summary>
/// <param name="Image">How to give the image, as advice (<c>pass --image registry.example.com/team/app</c>).</param>
/// <param name="CreateRepository">How to create a missing ECR repository.</param>
/// <param name="ForceEcr">How to treat a private DNS name as ECR.</param>
/// <param name="FixedTag">How to name the local image's tag for a push.</param>
/// <param name="Jobs">How to say how many images build at once.</param>
/// <param name="ImageOption">The option that names the one image (<c>--image</c>).</param>
public sealed record ReleaseOptionNames(string Image, string CreateRepository, string ForceEcr, string FixedTag, string Jobs = "--jobs", string ImageOption = "--image")
{
    /// <summary>The command line's names.</summary>
    public static ReleaseOptionNames CommandLine { get; } = new("pass --image registry.example.com/team/app", "--create-repo", "pass --ecr", "--tag");

    /// <summary>The build-script task API's names.</summary>
    public static ReleaseOptionNames Tasks { get; } = new("call SetImage(\"registry.example.com/team/app\")", "EnableCreateRepository", "EnableEcr", "SetTag(...)", "Jobs", "SetImage");
}
