using TagForge.Errors;
using TagForge.Operations;
using TagForge.Pinning;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>What pin, verify and lint share: the deployment files (files or directories, walked for YAML and JSON).</summary>
public abstract record DeploymentSettings : TagForgeSettings
{
    /// <summary>Deployment files or directories (Kubernetes, kustomize, Compose, ECS, Dockerrun, Helm values).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The files for a request (resolved by the operation against the working directory); none is a <see cref="BadInputException"/>.</summary>
    internal IReadOnlyList<string> RequestedFiles() =>
        Files.Count > 0 ? Files : throw new BadInputException("no deployment files: call AddFiles(\"deploy/k8s\")");
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

    internal PinRequest ToRequest() => new() { Paths = RequestedFiles(), Record = Record, Style = Style, DryRun = DryRun, Check = Check };
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

/// <summary>What verify and resolve share: how they reach registries.</summary>
public abstract record RegistryDeploymentSettings : DeploymentSettings
{
    /// <summary>Registry requests in flight at once; else <c>TAGFORGE_REGISTRY_CONCURRENCY</c>, else 8 (<see cref="Registry.RegistryConcurrency.Default"/>).</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Credentials for the registries; else <c>TAGFORGE_REGISTRY_USERNAME/PASSWORD</c>, else docker's config. Never logged.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// Credentials per registry (<c>host[:port]</c>), used before the environment, ECR and docker's config: two
    /// registries with two users without writing a docker config (<c>AddRegistryCredential</c>). Never logged.
    /// </summary>
    public IReadOnlyDictionary<string, RegistryCredential> RegistryCredentials { get; init; } = new Dictionary<string, RegistryCredential>();

    /// <summary>The registry part of a request; ECR registries are recognised by name and reached with AWS credentials.</summary>
    internal RegistryAccess Access() => new() { Credential = Credential, RegistryCredentials = RegistryCredentials, InsecureRegistries = InsecureRegistries };
}

/// <summary>Fluent setters of <see cref="RegistryDeploymentSettings"/>; each returns a changed copy of the same type.</summary>
public static class RegistryDeploymentSettingsExtensions
{
    /// <summary>Sets <see cref="RegistryDeploymentSettings.MaxConcurrency"/>.</summary>
    public static T SetMaxConcurrency<T>(this T settings, int? maxConcurrency)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { MaxConcurrency = maxConcurrency });

    /// <summary>Resets <see cref="RegistryDeploymentSettings.MaxConcurrency"/>.</summary>
    public static T ResetMaxConcurrency<T>(this T settings)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { MaxConcurrency = null });

    /// <summary>Replaces <see cref="RegistryDeploymentSettings.InsecureRegistries"/>.</summary>
    public static T SetInsecureRegistries<T>(this T settings, params IEnumerable<string> registries)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { InsecureRegistries = [.. registries] });

    /// <summary>Adds to <see cref="RegistryDeploymentSettings.InsecureRegistries"/>.</summary>
    public static T AddInsecureRegistries<T>(this T settings, params IEnumerable<string> registries)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { InsecureRegistries = [.. settings.InsecureRegistries, .. registries] });

    /// <summary>Removes from <see cref="RegistryDeploymentSettings.InsecureRegistries"/>.</summary>
    public static T RemoveInsecureRegistries<T>(this T settings, params IEnumerable<string> registries)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { InsecureRegistries = [.. settings.InsecureRegistries.Except(registries, StringComparer.Ordinal)] });

    /// <summary>Clears <see cref="RegistryDeploymentSettings.InsecureRegistries"/>.</summary>
    public static T ClearInsecureRegistries<T>(this T settings)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { InsecureRegistries = [] });

    /// <summary>Uses these credentials for the registries.</summary>
    public static T SetCredential<T>(this T settings, string username, string password)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { Credential = new RegistryCredential(username, password) });

    /// <summary>Takes credentials from the environment or docker's config.</summary>
    public static T ResetCredential<T>(this T settings)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { Credential = null });

    /// <summary>Uses these credentials for <paramref name="registry"/> (<c>host[:port]</c>) only; never logged.</summary>
    public static T AddRegistryCredential<T>(this T settings, string registry, string username, string password)
        where T : RegistryDeploymentSettings => (T)(settings.Base() with { RegistryCredentials = RegistryCredentialMap.With(settings.RegistryCredentials, registry, new RegistryCredential(username, password)) });

    private static RegistryDeploymentSettings Base(this RegistryDeploymentSettings settings) => settings;
}

/// <summary>Settings of <see cref="TagForgeTasks.Verify(VerifySettings)"/>: every digest-pinned image still exists in its registry.</summary>
public sealed record VerifySettings : RegistryDeploymentSettings
{
    internal VerifyRequest ToRequest() => new() { Paths = RequestedFiles(), MaxConcurrency = MaxConcurrency, Registry = Access() };
}

/// <summary>Settings of <see cref="TagForgeTasks.Resolve(ResolveSettings)"/>: pin every image to the digest its registry holds now.</summary>
public sealed record ResolveSettings : RegistryDeploymentSettings
{
    /// <summary>How references are written; <see cref="PinStyle.TagDigest"/> (keep the tag as written) when unset.</summary>
    public PinStyle? Style { get; init; }

    /// <summary>Compute the changes and write nothing.</summary>
    public bool DryRun { get; init; }

    internal ResolveRequest ToRequest() =>
        new() { Paths = RequestedFiles(), Style = Style, DryRun = DryRun, MaxConcurrency = MaxConcurrency, Registry = Access() };
}

/// <summary>Fluent setters of <see cref="ResolveSettings"/>; each returns a changed copy.</summary>
public static class ResolveSettingsExtensions
{
    /// <summary>Sets <see cref="ResolveSettings.Style"/>.</summary>
    public static ResolveSettings SetStyle(this ResolveSettings settings, PinStyle? style) => settings with { Style = style };

    /// <summary>Resets <see cref="ResolveSettings.Style"/>.</summary>
    public static ResolveSettings ResetStyle(this ResolveSettings settings) => settings with { Style = null };

    /// <summary>Writes nothing.</summary>
    public static ResolveSettings EnableDryRun(this ResolveSettings settings) => settings with { DryRun = true };

    /// <summary>Writes the resolved files (the default).</summary>
    public static ResolveSettings DisableDryRun(this ResolveSettings settings) => settings with { DryRun = false };
}

/// <summary>Settings of <see cref="TagForgeTasks.Lint(LintSettings)"/>: find references a deployment cannot rely on.</summary>
public sealed record LintSettings : DeploymentSettings
{
    /// <summary>Tags that move; <see cref="Linter.DefaultFloatingTags"/> when empty.</summary>
    public IReadOnlyList<string> FloatingTags { get; init; } = [];

    internal LintRequest ToRequest() => new() { Paths = RequestedFiles(), FloatingTags = FloatingTags.Count > 0 ? FloatingTags : null };
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
