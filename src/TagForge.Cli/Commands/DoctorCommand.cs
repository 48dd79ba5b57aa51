using System.CommandLine;
using TagForge.Diagnostics;

namespace TagForge.Cli.Commands;

/// <summary><c>tagforge doctor</c>: checks git, the config, the Docker engine, the registry and credentials; says what to fix.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var image = new Option<string?>("--image", "-i") { Description = "The repository whose registry to check (default: TAGFORGE_IMAGE, else image: in tagforge.yml)" };
        var insecure = new Option<string[]>("--insecure-registry") { Description = "Allow plain http or an unverified TLS certificate for this registry (loopback may always use plain http); repeatable" };
        var builder = new Option<string?>("--builder") { Description = "The builder to check: docker, podman, buildah or dotnet (default: TAGFORGE_BUILDER, else builder: in tagforge.yml, else detected)" };
        var storageDriver = new Option<string?>("--storage-driver") { Description = "podman's and buildah's storage driver (default: TAGFORGE_STORAGE_DRIVER)" };
        var command = new Command("doctor", "Check git, tagforge.yml, the Docker engine, the registry and its credentials, and say what to fix (exit 1 when something is broken)")
        {
            image, insecure, builder, storageDriver,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var services = CommandServices.Create(parseResult);
            var checks = await Doctor.CheckAsync(
                new DoctorRequest
                {
                    Image = parseResult.GetValue(image),
                    InsecureRegistries = parseResult.GetValue(insecure),
                    Builder = parseResult.GetValue(builder) is { } named ? Containers.Builders.Parse(named) : null,
                    StorageDriver = parseResult.GetValue(storageDriver),
                },
                services,
                cancellationToken).ConfigureAwait(false);
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var check in checks)
            {
                var mark = check.Status switch
                {
                    CheckStatus.Ok => "ok  ",
                    CheckStatus.Warning => "warn",
                    _ => "FAIL",
                };
                await output.WriteLineAsync($"{mark} {check.Name,-11} {check.Detail}").ConfigureAwait(false);
                if (check.Fix is not null && check.Status != CheckStatus.Ok)
                {
                    await output.WriteLineAsync($"     {"",-11} fix: {check.Fix}").ConfigureAwait(false);
                }
            }

            var broken = checks.Count(check => check.Status == CheckStatus.Failed);
            await parseResult.InvocationConfiguration.Error.WriteLineAsync(
                broken == 0 ? $"{CliApp.Prefix} ready to release" : $"{CliApp.Prefix} {broken} problem(s) to fix before releasing").ConfigureAwait(false);
            return broken == 0 ? 0 : (int)Errors.ExitCode.ExternalFailure;
        });
        return command;
    }
}
