namespace TagForge.Testing;

/// <summary>
/// A forwarding proxy in front of a real registry (<see cref="StubHttpServer"/> + HttpClient) that can refuse
/// cross-repository mounts the way some registries do (202 and an upload session instead of 201): everything else
/// is the real registry's answer. Uploads the registry redirects to go to it directly.
/// </summary>
public static class RegistryProxy
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    /// <summary>Starts a proxy for <paramref name="registry"/>; with <paramref name="refuseMounts"/> every <c>?mount=</c> POST answers 202.</summary>
    public static StubHttpServer Start(LocalRegistry registry, bool refuseMounts)
    {
        StubHttpServer? self = null;
        var server = StubHttpServer.Start(async (request, response) =>
        {
            var pathAndQuery = request.Url!.PathAndQuery;
            if (refuseMounts && request.HttpMethod == "POST" && pathAndQuery.Contains("mount=", StringComparison.Ordinal))
            {
                response.StatusCode = 202;
                response.Headers["Location"] = $"http://{self!.Host}/v2/refused-mount/uploads/none";
                response.Headers["Docker-Upload-UUID"] = "none";
                response.ContentLength64 = 0;
                response.Close();
                return;
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(registry.BaseUri, pathAndQuery));
            if (request.HasEntityBody || request.ContentLength64 > 0)
            {
                using var body = new MemoryStream();
                await request.InputStream.CopyToAsync(body);
                forward.Content = new ByteArrayContent(body.ToArray());
                if (request.ContentType is { } type)
                {
                    forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
            }

            foreach (var name in request.Headers.AllKeys.OfType<string>().Where(name => name is "Accept" or "Authorization"))
            {
                forward.Headers.TryAddWithoutValidation(name, request.Headers.GetValues(name) ?? []);
            }

            using var answer = await Http.SendAsync(forward);
            response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers)
            {
                if (name is not "Transfer-Encoding" and not "Connection")
                {
                    response.Headers[name] = string.Join(",", values);
                }
            }

            var bytes = await answer.Content.ReadAsByteArrayAsync();
            if (answer.Content.Headers.ContentType is { } contentType)
            {
                response.ContentType = contentType.ToString();
            }

            if (request.HttpMethod == "HEAD")
            {
                response.ContentLength64 = answer.Content.Headers.ContentLength ?? 0;
                response.Close();
                return;
            }

            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        });
        self = server;
        return server;
    }
}
