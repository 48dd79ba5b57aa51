using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace TagForge.Testing;

/// <summary>
/// Pushes tiny OCI images straight over the registry HTTP API (a config blob and a manifest, no layers): much faster
/// than docker build + push when a test needs many distinct digests. Needs: a running registry (<see cref="LocalRegistry"/>).
/// </summary>
public static class RegistryUploads
{
    private static readonly HttpClient Http = new();

    /// <summary>Pushes an image whose manifest is unique to <paramref name="seed"/> as <c>repository:tag</c>; returns its digest.</summary>
    public static async Task<string> PushAsync(LocalRegistry registry, string repository, string tag, string seed)
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}""");
        var configDigest = Sha256(config);
        using (var head = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, $"v2/{repository}/blobs/{configDigest}")))
        using (var exists = await Http.SendAsync(head))
        {
            if (!exists.IsSuccessStatusCode)
            {
                using var start = await Http.PostAsync(new Uri(registry.BaseUri, $"v2/{repository}/blobs/uploads/"), null);
                start.EnsureSuccessStatusCode();
                var location = new Uri(registry.BaseUri, start.Headers.Location!);
                var separator = location.Query.Length > 0 ? "&" : "?";
                using var content = new ByteArrayContent(config);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var put = await Http.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(configDigest)), content);
                put.EnsureSuccessStatusCode();
            }
        }

        var manifest = Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},"layers":[],"annotations":{"org.example.seed":"{{{seed}}}"}}""");
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await Http.PutAsync(new Uri(registry.BaseUri, $"v2/{repository}/manifests/{tag}"), body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"pushing {repository}:{tag} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return Sha256(manifest);
    }

    /// <summary>Deletes a manifest by digest (the registry is started with deletes enabled).</summary>
    public static async Task DeleteAsync(LocalRegistry registry, string repository, string digest)
    {
        using var response = await Http.DeleteAsync(new Uri(registry.BaseUri, $"v2/{repository}/manifests/{digest}"));
        response.EnsureSuccessStatusCode();
    }

    private static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
