namespace TagForge.Tagging;

/// <summary>Named templates.</summary>
public static class TagPresets
{
    /// <summary>
    /// The default: UTC build time first so tags sort by time as text, then the commit, then the CI build number
    /// so two builds of one commit in one second still differ. <c>20261122184005-4cf86b71-7</c>.
    /// </summary>
    public const string Default = "{time:yyyyMMddHHmmss}-{sha:8}-{build}";

    /// <summary>Every preset by name.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["default"] = Default,
        // The Jenkins script this tool replaces: v.${GIT_FULL_HASH:0:8}_$(date +%Y%m%d%H%M)-${BUILD_NUMBER}.
        ["article"] = "v.{sha:8}_{time:yyyyMMddHHmm}-{build}",
        // Flux's documented recipe; sortable by the trailing number with a numeric policy.
        ["flux"] = "{branch}-{sha:7}-{time:unix}",
        // For releases cut from v-tags: 1.4.0 on the tag, 1.4.1-alpha.0.3 three commits later.
        ["version"] = "{version}",
        ["commit"] = "{sha}",
    };

    /// <summary>The template of a preset.</summary>
    /// <exception cref="Errors.BadInputException">There is no such preset.</exception>
    public static string Get(string name) =>
        All.TryGetValue(name, out var template)
            ? template
            : throw new Errors.BadInputException($"unknown preset '{name}'; known presets: {string.Join(", ", All.Keys)}");
}
