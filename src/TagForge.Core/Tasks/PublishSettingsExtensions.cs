using TagForge.Ecr;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>Fluent setters of what is pushed and recorded (push, release), written once for both.</summary>
public static class PublishSettingsExtensions
{
    /// <summary>Sets the build record to merge the entry into (else tagforge.yml's, else <c>tagforge.json</c>).</summary>
    public static T SetRecord<T>(this T settings, string? record)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { RecordPath = record });

    /// <summary>Resets the build record.</summary>
    public static T ResetRecord<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.SetRecord(null);

    /// <summary>Writes no build record.</summary>
    public static T EnableNoRecord<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { NoRecord = true });

    /// <summary>Writes the build record (the default).</summary>
    public static T DisableNoRecord<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { NoRecord = false });

    /// <summary>Lets the push overwrite a tag that holds another digest.</summary>
    public static T EnableAllowOverwrite<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { AllowOverwrite = true });

    /// <summary>Refuses to overwrite a tag that holds another digest (the default).</summary>
    public static T DisableAllowOverwrite<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { AllowOverwrite = false });

    /// <summary>Removes the local tags after a successful push.</summary>
    public static T EnableRemoveLocal<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { RemoveLocal = true });

    /// <summary>Keeps the local tags (the default).</summary>
    public static T DisableRemoveLocal<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { RemoveLocal = false });

    /// <summary>Sets a dotenv file to write (<c>IMAGE_TAG</c>, <c>IMAGE_DIGEST</c>, <c>IMAGE_REF</c>).</summary>
    public static T SetDotenv<T>(this T settings, string? dotenv)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { DotenvPath = dotenv });

    /// <summary>Resets the dotenv file (none).</summary>
    public static T ResetDotenv<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.SetDotenv(null);

    /// <summary>Uses these credentials for the image's registry (never logged).</summary>
    public static T SetCredential<T>(this T settings, string username, string password)
        where T : ReleaseTaskSettings, IPublishSettings => settings.SetCredential(new RegistryCredential(username, password));

    /// <summary>Uses <paramref name="credential"/> for the image's registry (never logged).</summary>
    public static T SetCredential<T>(this T settings, RegistryCredential? credential)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { Registry = r.Registry with { Credential = credential } });

    /// <summary>
    /// Uses these credentials for <paramref name="registry"/> (<c>host[:port]</c>) only: a base image's registry, or the
    /// image's own, without writing a docker config. Never logged.
    /// </summary>
    public static T AddRegistryCredential<T>(this T settings, string registry, string username, string password)
        where T : ReleaseTaskSettings, IPublishSettings =>
        settings.Edit(r => r with { Registry = r.Registry with { RegistryCredentials = RegistryCredentialMap.With(r.Registry.RegistryCredentials, registry, new RegistryCredential(username, password)) } });

    /// <summary>Takes credentials from <c>TAGFORGE_REGISTRY_*</c>, ECR or docker's config.</summary>
    public static T ResetCredential<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.SetCredential(null);

    /// <summary>Replaces the registries spoken to over plain http besides loopback.</summary>
    public static T SetInsecureRegistries<T>(this T settings, params IEnumerable<string> registries)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { Registry = r.Registry with { InsecureRegistries = [.. registries] } });

    /// <summary>Adds plain-http registries.</summary>
    public static T AddInsecureRegistries<T>(this T settings, params IEnumerable<string> registries)
        where T : ReleaseTaskSettings, IPublishSettings => settings.SetInsecureRegistries([.. settings.Request.Registry.InsecureRegistries ?? [], .. registries]);

    /// <summary>Removes plain-http registries.</summary>
    public static T RemoveInsecureRegistries<T>(this T settings, params IEnumerable<string> registries)
        where T : ReleaseTaskSettings, IPublishSettings => settings.SetInsecureRegistries((settings.Request.Registry.InsecureRegistries ?? []).Except(registries, StringComparer.Ordinal));

    /// <summary>Clears the plain-http registries.</summary>
    public static T ClearInsecureRegistries<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.SetInsecureRegistries();

    /// <summary>Treats the registry as Amazon ECR even though its name is not <c>ACCOUNT.dkr.ecr.REGION.amazonaws.com</c>.</summary>
    public static T EnableEcr<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.EditEcr(ecr => ecr with { Force = true });

    /// <summary>Detects ECR from the registry's name (the default).</summary>
    public static T DisableEcr<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.EditEcr(ecr => ecr with { Force = false });

    /// <summary>Sets the AWS region of an ECR registry (else the host's, else <c>AWS_REGION</c>).</summary>
    public static T SetEcrRegion<T>(this T settings, string? region)
        where T : ReleaseTaskSettings, IPublishSettings => settings.EditEcr(ecr => ecr with { Region = region });

    /// <summary>Resets the ECR region.</summary>
    public static T ResetEcrRegion<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.SetEcrRegion(null);

    /// <summary>Creates a missing ECR repository.</summary>
    public static T EnableCreateRepository<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { CreateRepository = true });

    /// <summary>Fails when the ECR repository is missing (the default).</summary>
    public static T DisableCreateRepository<T>(this T settings)
        where T : ReleaseTaskSettings, IPublishSettings => settings.Edit(r => r with { CreateRepository = false });

    private static T EditEcr<T>(this T settings, Func<EcrSettings, EcrSettings> edit)
        where T : ReleaseTaskSettings => settings.Edit(r => r with { Registry = r.Registry with { Ecr = edit(r.Registry.Ecr) } });
}
