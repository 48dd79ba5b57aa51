using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>Settings of <see cref="TagForgeTasks.Push(PushSettings)"/>: push a local image built earlier, guarded and recorded.</summary>
public sealed record PushSettings : ImageSettings, IPublishSettings
{
    /// <summary>The tag of the local image <c>IMAGE:TAG</c> to push (required).</summary>
    public string? Tag { get; init; }

    /// <summary>The build record to merge the entry into; <c>tagforge.json</c> when unset (see <see cref="NoRecord"/>).</summary>
    public string? Record { get; init; }

    /// <summary>Write no build record.</summary>
    public bool NoRecord { get; init; }

    /// <summary>Push even when the registry holds the tag with another digest (the overwrite guard is off).</summary>
    public bool AllowOverwrite { get; init; }

    /// <summary>Remove the local tags after a successful push (the article's <c>docker rmi</c>).</summary>
    public bool RemoveLocal { get; init; }

    /// <summary>A dotenv file to write (<c>IMAGE_TAG</c>, <c>IMAGE_DIGEST</c>, <c>IMAGE_REF</c>).</summary>
    public string? Dotenv { get; init; }

    /// <summary>Credentials for the image's registry; else <c>TAGFORGE_REGISTRY_USERNAME/PASSWORD</c>, else docker's config. Never logged.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Treat the registry as Amazon ECR even though its name is not <c>ACCOUNT.dkr.ecr.REGION.amazonaws.com</c> (ECR hosts are detected without it).</summary>
    public bool Ecr { get; init; }

    /// <summary>ECR: the AWS region; the registry host's, else <c>AWS_REGION</c>, when unset.</summary>
    public string? EcrRegion { get; init; }

    /// <summary>ECR: create the repository when it is missing.</summary>
    public bool CreateRepository { get; init; }
}

/// <summary>Fluent setters of <see cref="PushSettings"/>; each returns a changed copy.</summary>
public static class PushSettingsExtensions
{
    /// <summary>Sets <see cref="PushSettings.Tag"/>.</summary>
    public static PushSettings SetTag(this PushSettings settings, string? tag) => settings with { Tag = tag };

    /// <summary>Resets <see cref="PushSettings.Tag"/>.</summary>
    public static PushSettings ResetTag(this PushSettings settings) => settings with { Tag = null };

    /// <summary>Sets <see cref="PushSettings.Record"/>.</summary>
    public static PushSettings SetRecord(this PushSettings settings, string? record) => settings with { Record = record };

    /// <summary>Resets <see cref="PushSettings.Record"/> (<c>tagforge.json</c>).</summary>
    public static PushSettings ResetRecord(this PushSettings settings) => settings with { Record = null };

    /// <summary>Writes no build record.</summary>
    public static PushSettings EnableNoRecord(this PushSettings settings) => settings with { NoRecord = true };

    /// <summary>Writes the build record.</summary>
    public static PushSettings DisableNoRecord(this PushSettings settings) => settings with { NoRecord = false };

    /// <summary>Lets the push overwrite a tag that holds another digest.</summary>
    public static PushSettings EnableAllowOverwrite(this PushSettings settings) => settings with { AllowOverwrite = true };

    /// <summary>Refuses to overwrite a tag that holds another digest (the default).</summary>
    public static PushSettings DisableAllowOverwrite(this PushSettings settings) => settings with { AllowOverwrite = false };

    /// <summary>Removes the local tags after a successful push.</summary>
    public static PushSettings EnableRemoveLocal(this PushSettings settings) => settings with { RemoveLocal = true };

    /// <summary>Keeps the local tags (the default).</summary>
    public static PushSettings DisableRemoveLocal(this PushSettings settings) => settings with { RemoveLocal = false };

    /// <summary>Sets <see cref="PushSettings.Dotenv"/>.</summary>
    public static PushSettings SetDotenv(this PushSettings settings, string? dotenv) => settings with { Dotenv = dotenv };

    /// <summary>Resets <see cref="PushSettings.Dotenv"/>.</summary>
    public static PushSettings ResetDotenv(this PushSettings settings) => settings with { Dotenv = null };

    /// <summary>Uses these credentials for the image's registry.</summary>
    public static PushSettings SetCredential(this PushSettings settings, string username, string password) => settings with { Credential = new RegistryCredential(username, password) };

    /// <summary>Uses <paramref name="credential"/> for the image's registry.</summary>
    public static PushSettings SetCredential(this PushSettings settings, RegistryCredential? credential) => settings with { Credential = credential };

    /// <summary>Takes credentials from the environment or docker's config.</summary>
    public static PushSettings ResetCredential(this PushSettings settings) => settings with { Credential = null };

    /// <summary>Replaces <see cref="PushSettings.InsecureRegistries"/>.</summary>
    public static PushSettings SetInsecureRegistries(this PushSettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. registries] };

    /// <summary>Adds to <see cref="PushSettings.InsecureRegistries"/>.</summary>
    public static PushSettings AddInsecureRegistries(this PushSettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. settings.InsecureRegistries, .. registries] };

    /// <summary>Removes from <see cref="PushSettings.InsecureRegistries"/>.</summary>
    public static PushSettings RemoveInsecureRegistries(this PushSettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. settings.InsecureRegistries.Except(registries, StringComparer.Ordinal)] };

    /// <summary>Clears <see cref="PushSettings.InsecureRegistries"/>.</summary>
    public static PushSettings ClearInsecureRegistries(this PushSettings settings) => settings with { InsecureRegistries = [] };

    /// <summary>Treats the registry as Amazon ECR.</summary>
    public static PushSettings EnableEcr(this PushSettings settings) => settings with { Ecr = true };

    /// <summary>Detects ECR from the registry's name (the default).</summary>
    public static PushSettings DisableEcr(this PushSettings settings) => settings with { Ecr = false };

    /// <summary>Sets <see cref="PushSettings.EcrRegion"/>.</summary>
    public static PushSettings SetEcrRegion(this PushSettings settings, string? region) => settings with { EcrRegion = region };

    /// <summary>Resets <see cref="PushSettings.EcrRegion"/>.</summary>
    public static PushSettings ResetEcrRegion(this PushSettings settings) => settings with { EcrRegion = null };

    /// <summary>Creates a missing ECR repository.</summary>
    public static PushSettings EnableCreateRepository(this PushSettings settings) => settings with { CreateRepository = true };

    /// <summary>Fails when the ECR repository is missing (the default).</summary>
    public static PushSettings DisableCreateRepository(this PushSettings settings) => settings with { CreateRepository = false };
}
