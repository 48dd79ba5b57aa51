using System.Text.Json.Serialization;

namespace TagForge.Registry;

internal sealed record TagList(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags);

internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn);

internal sealed record DockerConfigAuth(
    [property: JsonPropertyName("auth")] string? Auth,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("identitytoken")] string? IdentityToken);

internal sealed record DockerConfigFile(
    [property: JsonPropertyName("auths")] Dictionary<string, DockerConfigAuth>? Auths,
    [property: JsonPropertyName("credsStore")] string? CredsStore,
    [property: JsonPropertyName("credHelpers")] Dictionary<string, string>? CredHelpers);

internal sealed record HelperOutput(
    [property: JsonPropertyName("ServerURL")] string? ServerUrl,
    [property: JsonPropertyName("Username")] string? Username,
    [property: JsonPropertyName("Secret")] string? Secret);

/// <summary>Source-generated JSON for the registry API, token servers and Docker's config (no reflection).</summary>
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DockerConfigFile))]
[JsonSerializable(typeof(HelperOutput))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
