using TagForge.Operations;
using TagForge.Services;
using TagForge.Values;

namespace TagForge.Tasks;

/// <summary>Settings of <see cref="TagForgeTasks.Promote(PromoteSettings)"/>: the same digest under another tag, repository or registry.</summary>
public sealed record PromoteSettings : TagForgeSettings
{
    /// <summary><c>repo:tag</c> or <c>repo@digest</c>; unset with <see cref="Image"/>.</summary>
    public string? Source { get; init; }

    /// <summary>A tag (same repository) or <c>repo[:tag]</c>.</summary>
    public string? Destination { get; init; }

    /// <summary>The build record the promotion is written to (and <see cref="Image"/> is read from).</summary>
    public string? Record { get; init; }

    /// <summary>The record entry to promote instead of <see cref="Source"/>.</summary>
    public string? Image { get; init; }

    /// <summary>Leave referrers and <c>sha256-HEX.sig|.att|.sbom</c> tags behind.</summary>
    public bool NoSignatures { get; init; }

    /// <summary>Replace the destination's signature and referrers tags that hold another digest (else: left, with a warning).</summary>
    public bool ReplaceSignatures { get; init; }

    /// <summary>Move a destination tag that holds another image.</summary>
    public bool AllowOverwrite { get; init; }

    /// <summary>With <see cref="AllowOverwrite"/>: keep the replaced image under this tag (<c>{tag}</c>, <c>{digest}</c>).</summary>
    public string? BackupTag { get; init; }

    /// <summary>A dotenv file to write.</summary>
    public string? Dotenv { get; init; }

    /// <summary>Registry requests in flight at once (default 4).</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Registries spoken to over plain http besides loopback.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Credentials for the registries; else the environment, ECR or docker's config. Never logged.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// Credentials per registry (<c>host[:port]</c>), used before the environment, ECR and docker's config: two
    /// registries with two users without writing a docker config (<c>AddRegistryCredential</c>). Never logged.
    /// </summary>
    public IReadOnlyDictionary<string, RegistryCredential> RegistryCredentials { get; init; } = new Dictionary<string, RegistryCredential>();

    internal PromoteRequest ToRequest() => new()
    {
        Source = Source,
        Destination = Destination ?? throw new Errors.BadInputException("no destination: call SetDestination(\"prod\") or SetDestination(\"registry/repo:tag\")"),
        Record = Record,
        Image = Image,
        NoSignatures = NoSignatures,
        ReplaceSignatures = ReplaceSignatures,
        AllowOverwrite = AllowOverwrite,
        BackupTag = BackupTag,
        Dotenv = Dotenv,
        MaxConcurrency = MaxConcurrency,
        Registry = new RegistryAccess { Credential = Credential, RegistryCredentials = RegistryCredentials, InsecureRegistries = InsecureRegistries },
    };
}

/// <summary>Fluent setters of <see cref="PromoteSettings"/>; each returns a changed copy.</summary>
public static class PromoteSettingsExtensions
{
    /// <summary>Uses these credentials for <paramref name="registry"/> (<c>host[:port]</c>) only, replacing any given for it before; never logged.</summary>
    public static PromoteSettings AddRegistryCredential(this PromoteSettings settings, string registry, string username, string password) =>
        settings with { RegistryCredentials = RegistryCredentialMap.With(settings.RegistryCredentials, registry, new RegistryCredential(username, password)) };

    /// <summary>Turns <see cref="PromoteSettings.Source"/> on.</summary>
    public static PromoteSettings SetSource(this PromoteSettings settings, string? source) => settings with { Source = source };

    /// <summary>Turns <see cref="PromoteSettings.Destination"/> on.</summary>
    public static PromoteSettings SetDestination(this PromoteSettings settings, string? destination) => settings with { Destination = destination };

    /// <summary>Turns <see cref="PromoteSettings.Record"/> on.</summary>
    public static PromoteSettings SetRecord(this PromoteSettings settings, string? record) => settings with { Record = record };

    /// <summary>Sets <see cref="PromoteSettings.Image"/> (the record entry to promote).</summary>
    public static PromoteSettings SetImage(this PromoteSettings settings, string? image) => settings with { Image = image };

    /// <summary>Turns <see cref="PromoteSettings.NoSignatures"/> on.</summary>
    public static PromoteSettings EnableNoSignatures(this PromoteSettings settings) => settings with { NoSignatures = true };

    /// <summary>The opposite of <see cref="EnableNoSignatures"/> (the default).</summary>
    public static PromoteSettings DisableNoSignatures(this PromoteSettings settings) => settings with { NoSignatures = false };

    /// <summary>Turns <see cref="PromoteSettings.ReplaceSignatures"/> on.</summary>
    public static PromoteSettings EnableReplaceSignatures(this PromoteSettings settings) => settings with { ReplaceSignatures = true };

    /// <summary>The opposite of <see cref="EnableReplaceSignatures"/> (the default).</summary>
    public static PromoteSettings DisableReplaceSignatures(this PromoteSettings settings) => settings with { ReplaceSignatures = false };

    /// <summary>Sets <see cref="TagForgeSettings.Progress"/> (where the copy reports bytes and blobs done).</summary>
    public static PromoteSettings SetProgress(this PromoteSettings settings, IProgress<IO.ProgressUpdate>? progress) => settings with { Progress = progress };

    /// <summary>Turns <see cref="PromoteSettings.AllowOverwrite"/> on.</summary>
    public static PromoteSettings EnableAllowOverwrite(this PromoteSettings settings) => settings with { AllowOverwrite = true };

    /// <summary>The opposite of <see cref="EnableAllowOverwrite"/> (the default).</summary>
    public static PromoteSettings DisableAllowOverwrite(this PromoteSettings settings) => settings with { AllowOverwrite = false };

    /// <summary>Turns <see cref="PromoteSettings.BackupTag"/> on.</summary>
    public static PromoteSettings SetBackupTag(this PromoteSettings settings, string? template) => settings with { BackupTag = template };

    /// <summary>Turns <see cref="PromoteSettings.Dotenv"/> on.</summary>
    public static PromoteSettings SetDotenv(this PromoteSettings settings, string? path) => settings with { Dotenv = path };

    /// <summary>Sets <see cref="PromoteSettings.MaxConcurrency"/>.</summary>
    public static PromoteSettings SetMaxConcurrency(this PromoteSettings settings, int? value) => settings with { MaxConcurrency = value };

    /// <summary>Replaces <see cref="PromoteSettings.InsecureRegistries"/>.</summary>
    public static PromoteSettings SetInsecureRegistries(this PromoteSettings settings, params IEnumerable<string> registries) => settings with { InsecureRegistries = [.. registries] };

    /// <summary>Uses these credentials for the registries.</summary>
    public static PromoteSettings SetCredential(this PromoteSettings settings, string username, string password) => settings with { Credential = new RegistryCredential(username, password) };
}
