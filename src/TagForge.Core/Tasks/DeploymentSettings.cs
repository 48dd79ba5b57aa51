using TagForge.Errors;
using TagForge.Pinning;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>What pin, verify and lint share: the deployment files (files or directories, walked for YAML and JSON).</summary>
public abstract record DeploymentSettings : TagForgeSettings
{
    /// <summary>Deployment files or directories (Kubernetes, kustomize, Compose, ECS, Dockerrun, Helm values).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The files, resolved against the working directory and expanded; a missing one is a <see cref="BadInputException"/>.</summary>
    internal IReadOnlyList<DeploymentFile> ReadFiles()
    {
        if (Files.Count == 0)
        {
            throw new BadInputException("no deployment files: call AddFiles(\"deploy/k8s\")");
        }

        var paths = DeploymentPaths.Expand(Files.Select(file => Resolve(file)!), out var missing);
        return missing.Count > 0 ? throw missing[0] : [.. paths.Select(DeploymentFile.Read)];
    }
}

/// <summary>Fluent setters of <see cref="DeploymentSettings"/>; each returns a changed copy of the same type.</summary>
public static class DeploymentSettingsExtensions
{
    /// <summary>Replaces <see cref="DeploymentSettings.Files"/>.</summary>
    public static T SetFiles<T>(this T settings, params IEnumerable<string> files)
        where T : DeploymentSettings => (T)(settings.Base() with { Files = [.. files] });

    /// <summary>Adds to <see cref="DeploymentSettings.Files"/>.</summary>
    public static T AddFiles<T>(this T settings, params IEnumerable<string> files)
        where T : DeploymentSettings => (T)(settings.Base() with { Files = [.. settings.Files, .. files] });

    /// <summary>Removes from <see cref="DeploymentSettings.Files"/>.</summary>
    public static T RemoveFiles<T>(this T settings, params IEnumerable<string> files)
        where T : DeploymentSettings => (T)(settings.Base() with { Files = [.. settings.Files.Except(files, StringComparer.Ordinal)] });

    /// <summary>Clears <see cref="DeploymentSettings.Files"/>.</summary>
    public static T ClearFiles<T>(this T settings)
        where T : DeploymentSettings => (T)(settings.Base() with { Files = [] });

    private static DeploymentSettings Base(this DeploymentSettings settings) => settings;
}

/// <summary>Settings of <see cref="TagForgeTasks.Pin(PinSettings)"/>: pin deployment files to the digests in a build record.</summary>
public sealed record PinSettings : DeploymentSettings
{
    /// <summary>The build record to pin from; <c>tagforge.json</c> when unset.</summary>
    public string? Record { get; init; }

    /// <summary>How references are written; <see cref="PinStyle.TagDigest"/> when unset.</summary>
    public PinStyle? Style { get; init; }

    /// <summary>Compute the changes and write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Write nothing; throw when a reference is not pinned to the record's digest.</summary>
    public bool Check { get; init; }
}

/// <summary>Fluent setters of <see cref="PinSettings"/>; each returns a changed copy.</summary>
public static class PinSettingsExtensions
{
    /// <summary>Sets <see cref="PinSettings.Record"/>.</summary>
    public static PinSettings SetRecord(this PinSettings settings, string? record) => settings with { Record = record };

    /// <summary>Resets <see cref="PinSettings.Record"/> (<c>tagforge.json</c>).</summary>
    public static PinSettings ResetRecord(this PinSettings settings) => settings with { Record = null };

    /// <summary>Sets <see cref="PinSettings.Style"/>.</summary>
    public static PinSettings SetStyle(this PinSettings settings, PinStyle? style) => settings with { Style = style };

    /// <summary>Resets <see cref="PinSettings.Style"/>.</summary>
    public static PinSettings ResetStyle(this PinSettings settings) => settings with { Style = null };

    /// <summary>Writes nothing.</summary>
    public static PinSettings EnableDryRun(this PinSettings settings) => settings with { DryRun = true };

    /// <summary>Writes the pinned files (the default).</summary>
    public static PinSettings DisableDryRun(this PinSettings settings) => settings with { DryRun = false };

    /// <summary>Checks instead of pinning.</summary>
    public static PinSettings EnableCheck(this PinSettings settings) => settings with { Check = true };

    /// <summary>Pins (the default).</summary>
    public static PinSettings DisableCheck(this PinSettings settings) => settings with { Check = false };
}

/// <summary>Settings of <see cref="TagForgeTasks.Verify(VerifySettings)"/>: every digest-pinned image still exists in its registry.</summary>
public sealed record VerifySettings : DeploymentSettings
{
    /// <summary>Registry requests in flight at once; 16 when unset.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Credentials for the registries; else <c>TAGFORGE_REGISTRY_USERNAME/PASSWORD</c>, else docker's config. Never logged.</summary>
    public RegistryCredential? Credential { get; init; }
}

/// <summary>Fluent setters of <see cref="VerifySettings"/>; each returns a changed copy.</summary>
public static class VerifySettingsExtensions
{
    /// <summary>Sets <see cref="VerifySettings.Parallelism"/>.</summary>
    public static VerifySettings SetParallelism(this VerifySettings settings, int? parallelism) => settings with { Parallelism = parallelism };

    /// <summary>Resets <see cref="VerifySettings.Parallelism"/>.</summary>
    public static VerifySettings ResetParallelism(this VerifySettings settings) => settings with { Parallelism = null };

    /// <summary>Replaces <see cref="VerifySettings.InsecureRegistries"/>.</summary>
    public static VerifySettings SetInsecureRegistries(this VerifySettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. registries] };

    /// <summary>Adds to <see cref="VerifySettings.InsecureRegistries"/>.</summary>
    public static VerifySettings AddInsecureRegistries(this VerifySettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. settings.InsecureRegistries, .. registries] };

    /// <summary>Removes from <see cref="VerifySettings.InsecureRegistries"/>.</summary>
    public static VerifySettings RemoveInsecureRegistries(this VerifySettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. settings.InsecureRegistries.Except(registries, StringComparer.Ordinal)] };

    /// <summary>Clears <see cref="VerifySettings.InsecureRegistries"/>.</summary>
    public static VerifySettings ClearInsecureRegistries(this VerifySettings settings) => settings with { InsecureRegistries = [] };

    /// <summary>Uses these credentials for the registries.</summary>
    public static VerifySettings SetCredential(this VerifySettings settings, string username, string password) => settings with { Credential = new RegistryCredential(username, password) };

    /// <summary>Takes credentials from the environment or docker's config.</summary>
    public static VerifySettings ResetCredential(this VerifySettings settings) => settings with { Credential = null };
}

/// <summary>Settings of <see cref="TagForgeTasks.Lint(LintSettings)"/>: find references a deployment cannot rely on.</summary>
public sealed record LintSettings : DeploymentSettings
{
    /// <summary>Tags that move; <see cref="Linter.DefaultFloatingTags"/> when empty.</summary>
    public IReadOnlyList<string> FloatingTags { get; init; } = [];
}

/// <summary>Fluent setters of <see cref="LintSettings"/>; each returns a changed copy.</summary>
public static class LintSettingsExtensions
{
    /// <summary>Replaces <see cref="LintSettings.FloatingTags"/>.</summary>
    public static LintSettings SetFloatingTags(this LintSettings settings, params IEnumerable<string> tags) => settings with { FloatingTags = [.. tags] };

    /// <summary>Adds to <see cref="LintSettings.FloatingTags"/> (starting from the defaults when empty).</summary>
    public static LintSettings AddFloatingTags(this LintSettings settings, params IEnumerable<string> tags) =>
        settings with { FloatingTags = [.. settings.FloatingTags.Count == 0 ? Linter.DefaultFloatingTags : settings.FloatingTags, .. tags] };

    /// <summary>Removes from <see cref="LintSettings.FloatingTags"/> (starting from the defaults when empty).</summary>
    public static LintSettings RemoveFloatingTags(this LintSettings settings, params IEnumerable<string> tags) =>
        settings with { FloatingTags = [.. (settings.FloatingTags.Count == 0 ? Linter.DefaultFloatingTags : settings.FloatingTags).Except(tags, StringComparer.OrdinalIgnoreCase)] };

    /// <summary>Clears <see cref="LintSettings.FloatingTags"/> (back to the defaults).</summary>
    public static LintSettings ClearFloatingTags(this LintSettings settings) => settings with { FloatingTags = [] };
}
