using System.Text.Json.Serialization;
using TagForge.Tagging;

namespace TagForge.Operations;

/// <summary>The shape of <c>tagforge tag --format json</c>.</summary>
internal sealed record TagJson(
    string Tag,
    string Template,
    string Commit,
    string? Branch,
    string Build,
    string Provider,
    string? PullRequest,
    string? BuildUrl,
    DateTimeOffset Time,
    bool Dirty,
    string? VersionTag,
    int? Height,
    string? Version)
{
    public static TagJson From(TagResult result) => new(
        result.Tag,
        result.Template,
        result.Commit,
        result.Branch,
        result.BuildNumber,
        result.Provider,
        result.PullRequest,
        result.BuildUrl,
        result.Time,
        result.Dirty,
        result.Version?.Tag,
        result.Version?.Height,
        result.Version?.Version.ToString());
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(TagJson))]
internal sealed partial class TagJsonContext : JsonSerializerContext;
