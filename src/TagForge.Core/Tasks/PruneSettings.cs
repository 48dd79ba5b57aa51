using TagForge.Operations;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>Settings of <see cref="TagForgeTasks.Prune(PruneSettings)"/>: plan (and apply) a prune that never deletes what is recorded or deployed.</summary>
public sealed record PruneSettings : TagForgeSettings
{
    /// <summary>The repository (<c>registry/path</c>).</summary>
    public string? Repository { get; init; }

    /// <summary>Build records whose digests are kept.</summary>
    public IReadOnlyList<string> KeepRecords { get; init; } = [];

    /// <summary>Deployment files or directories whose images are kept.</summary>
    public IReadOnlyList<string> KeepPinned { get; init; } = [];

    /// <summary>Keep the newest N.</summary>
    public int? KeepLast { get; init; }

    /// <summary>Keep releases younger than this.</summary>
    public TimeSpan? KeepNewerThan { get; init; }

    /// <summary>Allow a prune with no keep set.</summary>
    public bool KeepNothing { get; init; }

    /// <summary>Prune although some image positions of the keep files cannot be resolved (<see cref="PruneRequest.AcceptUnreadable"/>).</summary>
    public bool AcceptUnreadable { get; init; }

    /// <summary>Delete what the plan says may go.</summary>
    public bool Apply { get; init; }

    /// <summary>Throw <see cref="Errors.PolicyRefusalException"/> when a referenced digest is missing.</summary>
    public bool Check { get; init; }

    /// <summary>Registry requests in flight at once (default 4).</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Credentials for the registry. Never logged.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// Credentials per registry (<c>host[:port]</c>), used before the environment, ECR and docker's config: two
    /// registries with two users without writing a docker config (<c>AddRegistryCredential</c>). Never logged.
    /// </summary>
    public IReadOnlyDictionary<string, RegistryCredential> RegistryCredentials { get; init; } = new Dictionary<string, RegistryCredential>();

    internal PruneRequest ToRequest() => new()
    {
        Repository = Repository ?? throw new Errors.BadInputException("no repository: call SetRepository(\"registry/team/app\")"),
        KeepRecords = KeepRecords,
        KeepPinned = KeepPinned,
        KeepLast = KeepLast,
        KeepNewerThan = KeepNewerThan,
        KeepNothing = KeepNothing,
        AcceptUnreadable = AcceptUnreadable,
        Apply = Apply,
        Check = Check,
        MaxConcurrency = MaxConcurrency,
        Registry = new RegistryAccess { Credential = Credential, RegistryCredentials = RegistryCredentials, InsecureRegistries = InsecureRegistries },
    };
}

/// <summary>Fluent setters of <see cref="PruneSettings"/>; each returns a changed copy.</summary>
public static class PruneSettingsExtensions
{
    /// <summary>Turns <see cref="PruneSettings.Repository"/> on.</summary>
    public static PruneSettings SetRepository(this PruneSettings settings, string? repository) => settings with { Repository = repository };

    /// <summary>Adds to <see cref="PruneSettings.KeepRecords"/>.</summary>
    public static PruneSettings AddKeepRecords(this PruneSettings settings, params IEnumerable<string> records) => settings with { KeepRecords = [.. settings.KeepRecords, .. records] };

    /// <summary>Adds to <see cref="PruneSettings.KeepPinned"/>.</summary>
    public static PruneSettings AddKeepPinned(this PruneSettings settings, params IEnumerable<string> paths) => settings with { KeepPinned = [.. settings.KeepPinned, .. paths] };

    /// <summary>Turns <see cref="PruneSettings.KeepLast"/> on.</summary>
    public static PruneSettings SetKeepLast(this PruneSettings settings, int? count) => settings with { KeepLast = count };

    /// <summary>Turns <see cref="PruneSettings.KeepNewerThan"/> on.</summary>
    public static PruneSettings SetKeepNewerThan(this PruneSettings settings, TimeSpan? age) => settings with { KeepNewerThan = age };

    /// <summary>Turns <see cref="PruneSettings.KeepNothing"/> on.</summary>
    public static PruneSettings EnableKeepNothing(this PruneSettings settings) => settings with { KeepNothing = true };

    /// <summary>The opposite of <see cref="EnableKeepNothing"/> (the default).</summary>
    public static PruneSettings DisableKeepNothing(this PruneSettings settings) => settings with { KeepNothing = false };

    /// <summary>Turns <see cref="PruneSettings.AcceptUnreadable"/> on.</summary>
    public static PruneSettings EnableAcceptUnreadable(this PruneSettings settings) => settings with { AcceptUnreadable = true };

    /// <summary>The opposite of <see cref="EnableAcceptUnreadable"/> (the default).</summary>
    public static PruneSettings DisableAcceptUnreadable(this PruneSettings settings) => settings with { AcceptUnreadable = false };

    /// <summary>Turns <see cref="PruneSettings.Apply"/> on.</summary>
    public static PruneSettings EnableApply(this PruneSettings settings) => settings with { Apply = true };

    /// <summary>The opposite of <see cref="EnableApply"/> (the default).</summary>
    public static PruneSettings DisableApply(this PruneSettings settings) => settings with { Apply = false };

    /// <summary>Turns <see cref="PruneSettings.Check"/> on.</summary>
    public static PruneSettings EnableCheck(this PruneSettings settings) => settings with { Check = true };

    /// <summary>The opposite of <see cref="EnableCheck"/> (the default).</summary>
    public static PruneSettings DisableCheck(this PruneSettings settings) => settings with { Check = false };

    /// <summary>Sets <see cref="PruneSettings.MaxConcurrency"/>.</summary>
    public static PruneSettings SetMaxConcurrency(this PruneSettings settings, int? value) => settings with { MaxConcurrency = value };

    /// <summary>Replaces <see cref="PruneSettings.InsecureRegistries"/>.</summary>
    public static PruneSettings SetInsecureRegistries(this PruneSettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. registries] };

    /// <summary>Uses these credentials for the registry.</summary>
    public static PruneSettings SetCredential(this PruneSettings settings, string username, string password) => settings with { Credential = new RegistryCredential(username, password) };

    /// <summary>Uses these credentials for <paramref name="registry"/> (<c>host[:port]</c>) only; never logged.</summary>
    public static PruneSettings AddRegistryCredential(this PruneSettings settings, string registry, string username, string password) =>
        settings with { RegistryCredentials = RegistryCredentialMap.With(settings.RegistryCredentials, registry, new RegistryCredential(username, password)) };
}
