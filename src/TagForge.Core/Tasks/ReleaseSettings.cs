using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>
/// Settings of <see cref="TagForgeTasks.Release(ReleaseSettings)"/>: tag, build, push (never overwriting a tag by
/// accident), confirm the digest and record it.
/// </summary>
public sealed record ReleaseSettings : SourceSettings, IPublishSettings
{
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

/// <summary>Fluent setters of <see cref="ReleaseSettings"/>; each returns a changed copy.</summary>
public static class ReleaseSettingsExtensions
{
    /// <summary>Sets <see cref="ReleaseSettings.Record"/>.</summary>
    public static ReleaseSettings SetRecord(this ReleaseSettings settings, string? record) => settings with { Record = record };

    /// <summary>Resets <see cref="ReleaseSettings.Record"/> (<c>tagforge.json</c>).</summary>
    public static ReleaseSettings ResetRecord(this ReleaseSettings settings) => settings with { Record = null };

    /// <summary>Writes no build record.</summary>
    public static ReleaseSettings EnableNoRecord(this ReleaseSettings settings) => settings with { NoRecord = true };

    /// <summary>Writes the build record.</summary>
    public static ReleaseSettings DisableNoRecord(this ReleaseSettings settings) => settings with { NoRecord = false };

    /// <summary>Lets the push overwrite a tag that holds another digest.</summary>
    public static ReleaseSettings EnableAllowOverwrite(this ReleaseSettings settings) => settings with { AllowOverwrite = true };

    /// <summary>Refuses to overwrite a tag that holds another digest (the default).</summary>
    public static ReleaseSettings DisableAllowOverwrite(this ReleaseSettings settings) => settings with { AllowOverwrite = false };

    /// <summary>Removes the local tags after a successful push.</summary>
    public static ReleaseSettings EnableRemoveLocal(this ReleaseSettings settings) => settings with { RemoveLocal = true };

    /// <summary>Keeps the local tags (the default).</summary>
    public static ReleaseSettings DisableRemoveLocal(this ReleaseSettings settings) => settings with { RemoveLocal = false };

    /// <summary>Sets <see cref="ReleaseSettings.Dotenv"/>.</summary>
    public static ReleaseSettings SetDotenv(this ReleaseSettings settings, string? dotenv) => settings with { Dotenv = dotenv };

    /// <summary>Resets <see cref="ReleaseSettings.Dotenv"/>.</summary>
    public static ReleaseSettings ResetDotenv(this ReleaseSettings settings) => settings with { Dotenv = null };

    /// <summary>Uses these credentials for the image's registry.</summary>
    public static ReleaseSettings SetCredential(this ReleaseSettings settings, string username, string password) => settings with { Credential = new RegistryCredential(username, password) };

    /// <summary>Uses <paramref name="credential"/> for the image's registry.</summary>
    public static ReleaseSettings SetCredential(this ReleaseSettings settings, RegistryCredential? credential) => settings with { Credential = credential };

    /// <summary>Takes credentials from the environment or docker's config.</summary>
    public static ReleaseSettings ResetCredential(this ReleaseSettings settings) => settings with { Credential = null };

    /// <summary>Replaces <see cref="ReleaseSettings.InsecureRegistries"/>.</summary>
    public static ReleaseSettings SetInsecureRegistries(this ReleaseSettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. registries] };

    /// <summary>Adds to <see cref="ReleaseSettings.InsecureRegistries"/>.</summary>
    public static ReleaseSettings AddInsecureRegistries(this ReleaseSettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. settings.InsecureRegistries, .. registries] };

    /// <summary>Removes from <see cref="ReleaseSettings.InsecureRegistries"/>.</summary>
    public static ReleaseSettings RemoveInsecureRegistries(this ReleaseSettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. settings.InsecureRegistries.Except(registries, StringComparer.Ordinal)] };

    /// <summary>Clears <see cref="ReleaseSettings.InsecureRegistries"/>.</summary>
    public static ReleaseSettings ClearInsecureRegistries(this ReleaseSettings settings) => settings with { InsecureRegistries = [] };

    /// <summary>Treats the registry as Amazon ECR.</summary>
    public static ReleaseSettings EnableEcr(this ReleaseSettings settings) => settings with { Ecr = true };

    /// <summary>Detects ECR from the registry's name (the default).</summary>
    public static ReleaseSettings DisableEcr(this ReleaseSettings settings) => settings with { Ecr = false };

    /// <summary>Sets <see cref="ReleaseSettings.EcrRegion"/>.</summary>
    public static ReleaseSettings SetEcrRegion(this ReleaseSettings settings, string? region) => settings with { EcrRegion = region };

    /// <summary>Resets <see cref="ReleaseSettings.EcrRegion"/>.</summary>
    public static ReleaseSettings ResetEcrRegion(this ReleaseSettings settings) => settings with { EcrRegion = null };

    /// <summary>Creates a missing ECR repository.</summary>
    public static ReleaseSettings EnableCreateRepository(this ReleaseSettings settings) => settings with { CreateRepository = true };

    /// <summary>Fails when the ECR repository is missing (the default).</summary>
    public static ReleaseSettings DisableCreateRepository(this ReleaseSettings settings) => settings with { CreateRepository = false };
}
