using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TagForge.Testing.Ecr;

/// <summary>One request the fake received.</summary>
/// <param name="Operation">The <c>X-Amz-Target</c> operation (empty when absent).</param>
/// <param name="AccessKeyId">The access key of the signature, if parseable.</param>
/// <param name="ErrorType">The error the fake answered with, or <see langword="null"/> for success.</param>
/// <param name="UserAgent">The client's user agent (to tell the AWS CLI from TagForge).</param>
/// <param name="Body">The JSON body.</param>
public sealed record FakeEcrRequest(string Operation, string? AccessKeyId, string? ErrorType, string? UserAgent, string Body);

/// <summary>
/// A fake Amazon ECR API (JSON 1.1 over HTTP on 127.0.0.1, no TLS) for tests. Needs: a real registry
/// (<see cref="LocalRegistry.StartWithBasicAuthAsync"/>, user <c>AWS</c>) that its authorization tokens open and that
/// holds the images DescribeImages, BatchGetImage and PutImage work on. It verifies SigV4 signatures with its own
/// <see cref="SigV4"/>, answers with ECR's error shapes (<c>__type</c>, <c>message</c>, <c>x-amzn-ErrorType</c>), keeps
/// repositories (name, tag mutability, scan on push) in memory, enforces immutable tags in PutImage, and throttles on
/// demand. It does not check IAM permissions, does not enforce immutability on pushes that go straight to the
/// registry, and does not require a repository to exist before a docker push.
/// </summary>
public sealed partial class FakeEcr : IAsyncDisposable
{
    public const string DefaultAccountId = "123456789012";

    /// <summary>The most image ids ECR's BatchDeleteImage takes in one call.</summary>
    public const int MaxBatchDelete = 100;
    public const string TestAccessKeyId = "AKIAFAKEECR0TESTKEY1";
    public const string TestSecretAccessKey = "fake/Secret+Key/For/TagForge/Tests/0123456";

    private const string JsonType = "application/x-amz-json-1.1";
    private const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";
    private static readonly string[] AllManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    private readonly HttpListener _listener;
    private readonly HttpClient _registryHttp;
    private readonly ConcurrentDictionary<string, (string Secret, string? SessionToken, bool Expired)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _repositories = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeEcrRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _throttleRemaining;
    private int _tokensIssued;

    private FakeEcr(HttpListener listener, int port, LocalRegistry registry, string password, string region, string accountId)
    {
        _listener = listener;
        Port = port;
        Registry = registry;
        RegistryPassword = password;
        Region = region;
        AccountId = accountId;
        _registryHttp = new HttpClient { BaseAddress = registry.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        _registryHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + password)));
        _keys[TestAccessKeyId] = (TestSecretAccessKey, null, false);
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>: pass as <c>--endpoint-url</c>.</summary>
    public string EndpointUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The real registry behind the fake's tokens and images.</summary>
    public LocalRegistry Registry { get; }

    /// <summary>The registry password the fake's tokens carry (a secret tests look for in logs).</summary>
    public string RegistryPassword { get; }

    public string Region { get; }

    public string AccountId { get; }

    /// <summary>How long an authorization token is valid (ECR: 12 hours).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How far a request's <c>X-Amz-Date</c> may be from now (AWS: 5 minutes).</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public int TokensIssued => _tokensIssued;

    public IReadOnlyList<FakeEcrRequest> Requests => [.. _requests];

    /// <summary>Every digest BatchDeleteImage deleted, in order.</summary>
    public ConcurrentQueue<string> DeletedDigests { get; } = new();

    /// <summary>Starts a real registry with Basic auth (user AWS, a random password) and the fake in front of it.</summary>
    public static async Task<FakeEcr> StartAsync(string region = "us-east-1", string accountId = DefaultAccountId)
    {
        var password = "ecrpw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var registry = await LocalRegistry.StartWithBasicAuthAsync("AWS", password);
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeEcr(listener, port, registry, password, region, accountId);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Adds a key pair; <paramref name="sessionToken"/> makes it temporary, <paramref name="expired"/> makes its token expired.</summary>
    public void AddCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null, bool expired = false) =>
        _keys[accessKeyId] = (secretAccessKey, sessionToken, expired);

    /// <summary>The next <paramref name="count"/> requests get <c>ThrottlingException</c>.</summary>
    public void ThrottleNext(int count) => Interlocked.Exchange(ref _throttleRemaining, count);

    /// <summary>Creates a repository directly (test setup).</summary>
    public void AddRepository(string name, bool immutable = false, bool scanOnPush = false) =>
        _repositories[name] = NewRepository(name, immutable ? "IMMUTABLE" : "MUTABLE", scanOnPush);

    public string? TagMutabilityOf(string name) => _repositories.TryGetValue(name, out var repository) ? (string?)repository["imageTagMutability"] : null;

    /// <summary>Environment variables that make TagForge and the AWS CLI use the fake with the test key.</summary>
    public Dictionary<string, string?> ClientEnvironment(TempDirectory home) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = TestAccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = TestSecretAccessKey,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_REGION"] = Region,
        ["AWS_DEFAULT_REGION"] = Region,
        ["AWS_PROFILE"] = null,
        ["AWS_CONFIG_FILE"] = home.Write("aws/config", ""),
        ["AWS_SHARED_CREDENTIALS_FILE"] = home.Write("aws/credentials", ""),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_ENDPOINT_URL_ECR"] = null,
        ["AWS_ROLE_ARN"] = null,
        ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
        ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null,
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null,
        ["AWS_PAGER"] = "",
    };

    /// <summary>
    /// Pushes a small image (a config blob and one layer blob of random bytes, Docker schema 2 manifest) straight to the
    /// backing registry, as a docker push to ECR would; returns its manifest digest.
    /// </summary>
    public async Task<string> PushImageAsync(string repository, string tag)
    {
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{"Labels":{"id":"{{{Guid.NewGuid():N}}}"}},"rootfs":{"type":"layers","diff_ids":[]}}""");
        var layer = RandomNumberGenerator.GetBytes(64);
        var configDigest = await UploadBlobAsync(repository, config);
        var layerDigest = await UploadBlobAsync(repository, layer);
        var manifest = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":{{{config.Length}}},"digest":"{{{configDigest}}}"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{{{layer.Length}}},"digest":"{{{layerDigest}}}"}]}""";
        using var content = new StringContent(manifest, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(AllManifestTypes[0]);
        using var response = await _registryHttp.PutAsync(new Uri($"v2/{repository}/manifests/{tag}", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").First();
    }

    /// <summary>The digest the backing registry holds <paramref name="tag"/> under, or null.</summary>
    public async Task<string?> RegistryDigestAsync(string repository, string tag) => (await HeadAsync(repository, tag))?.Digest;

    private async Task<string> UploadBlobAsync(string repository, byte[] blob)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        using var start = await _registryHttp.PostAsync(new Uri($"v2/{repository}/blobs/uploads/", UriKind.Relative), null);
        start.EnsureSuccessStatusCode();
        var location = start.Headers.Location!;
        var separator = location.ToString().Contains('?', StringComparison.Ordinal) ? "&" : "?";
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await _registryHttp.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest), UriKind.RelativeOrAbsolute), content);
        put.EnsureSuccessStatusCode();
        return digest;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or HttpListenerException or OperationCanceledException)
        {
        }

        _registryHttp.Dispose();
        _stop.Dispose();
        await Registry.DisposeAsync();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.InputStream.CopyToAsync(buffer);
            body = buffer.ToArray();
        }

        var text = Encoding.UTF8.GetString(body);
        var target = request.Headers["X-Amz-Target"] ?? "";
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        var authorization = SigV4.ParseAuthorization(request.Headers["Authorization"]);
        EcrError? error = null;
        JsonObject? result = null;
        try
        {
            error = Authenticate(request, body, authorization);
            if (error is null && Interlocked.Decrement(ref _throttleRemaining) >= 0)
            {
                error = new EcrError(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded");
            }

            if (error is null)
            {
                var input = body.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? throw new EcrError(HttpStatusCode.BadRequest, "SerializationException", "body is not a JSON object");
                result = operation switch
                {
                    "GetAuthorizationToken" => GetAuthorizationToken(input),
                    "DescribeRepositories" => DescribeRepositories(input),
                    "CreateRepository" => CreateRepository(input),
                    "DescribeImages" => await DescribeImagesAsync(input),
                    "BatchGetImage" => await BatchGetImageAsync(input),
                    "PutImage" => await PutImageAsync(input),
                    "BatchDeleteImage" => await BatchDeleteImageAsync(input),
                    _ => throw new EcrError(HttpStatusCode.BadRequest, "UnknownOperationException", $"Unknown operation {target}"),
                };
            }
        }
        catch (EcrError thrown)
        {
            error = thrown;
        }
        catch (JsonException ex)
        {
            error = new EcrError(HttpStatusCode.BadRequest, "SerializationException", ex.Message);
        }
        catch (Exception ex)
        {
            error = new EcrError(HttpStatusCode.InternalServerError, "ServerException", ex.GetType().Name + ": " + ex.Message);
        }

        _requests.Enqueue(new FakeEcrRequest(operation, authorization?.AccessKeyId, error?.Type, request.UserAgent, text));
        var response = context.Response;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        response.ContentType = JsonType;
        byte[] payload;
        if (error is not null)
        {
            response.StatusCode = (int)error.Status;
            response.Headers["x-amzn-ErrorType"] = error.Type;
            payload = Encoding.UTF8.GetBytes(new JsonObject { ["__type"] = error.Type, ["message"] = error.Message }.ToJsonString());
        }
        else
        {
            response.StatusCode = 200;
            payload = Encoding.UTF8.GetBytes(result!.ToJsonString());
        }

        response.ContentLength64 = payload.Length;
        try
        {
            await response.OutputStream.WriteAsync(payload);
            response.Close();
        }
        catch (HttpListenerException)
        {
        }
    }

    private EcrError? Authenticate(HttpListenerRequest request, byte[] body, SigV4.AuthorizationHeader? authorization)
    {
        if (request.HttpMethod != "POST" || request.ContentType?.StartsWith(JsonType, StringComparison.Ordinal) != true)
        {
            return new EcrError(HttpStatusCode.BadRequest, "SerializationException", $"expected POST with Content-Type {JsonType}");
        }

        if (authorization is null)
        {
            return new EcrError(HttpStatusCode.Forbidden, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!_keys.TryGetValue(authorization.AccessKeyId, out var key))
        {
            return new EcrError(HttpStatusCode.Forbidden, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var token = request.Headers["X-Amz-Security-Token"];
        if (key.SessionToken is not null && token != key.SessionToken)
        {
            return new EcrError(HttpStatusCode.Forbidden, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (key.Expired)
        {
            return new EcrError(HttpStatusCode.Forbidden, "ExpiredTokenException", "The security token included in the request is expired");
        }

        var amzDate = request.Headers["X-Amz-Date"];
        if (!SigV4.TryParseAmzDate(amzDate, out var signedAt))
        {
            return new EcrError(HttpStatusCode.Forbidden, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        var now = DateTimeOffset.UtcNow;
        if (signedAt < now - AllowedClockSkew)
        {
            return new EcrError(HttpStatusCode.Forbidden, "InvalidSignatureException",
                $"Signature expired: {amzDate} is now earlier than {SigV4.FormatAmzDate(now - AllowedClockSkew)} ({SigV4.FormatAmzDate(now)} - {AllowedClockSkew.TotalMinutes:0} min.)");
        }

        if (signedAt > now + AllowedClockSkew)
        {
            return new EcrError(HttpStatusCode.Forbidden, "InvalidSignatureException",
                $"Signature not yet current: {amzDate} is still later than {SigV4.FormatAmzDate(now + AllowedClockSkew)} ({SigV4.FormatAmzDate(now)} + {AllowedClockSkew.TotalMinutes:0} min.)");
        }

        if (authorization.Date != amzDate![..8] || authorization.Region != Region || authorization.Service != "ecr")
        {
            return new EcrError(HttpStatusCode.Forbidden, "InvalidSignatureException",
                $"Credential should be scoped to a valid region, service and date: got {authorization.Scope}, expected {amzDate[..8]}/{Region}/ecr/aws4_request.");
        }

        if (!authorization.SignedHeaders.Contains("host") || !authorization.SignedHeaders.Contains("x-amz-date"))
        {
            return new EcrError(HttpStatusCode.Forbidden, "InvalidSignatureException", "'Host' and 'X-Amz-Date' must be signed.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in request.Headers.AllKeys)
        {
            if (name is not null)
            {
                headers[name] = request.Headers[name] ?? "";
            }
        }

        var canonical = SigV4.CanonicalRequest(request.HttpMethod, request.Url!.AbsolutePath, request.Url.Query, headers, authorization.SignedHeaders, SigV4.PayloadHash(body));
        var expected = SigV4.Signature(key.Secret, authorization.Date, authorization.Region, authorization.Service, SigV4.StringToSign(amzDate, authorization.Scope, canonical));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(authorization.Signature))
            ? null
            : new EcrError(HttpStatusCode.Forbidden, "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    private JsonObject GetAuthorizationToken(JsonObject input)
    {
        Interlocked.Increment(ref _tokensIssued);
        var registryIds = input["registryIds"] is JsonArray ids ? ids.Select(id => (string)id!).ToList() : [AccountId];
        var expiresAt = DateTimeOffset.UtcNow + TokenLifetime;
        var data = new JsonArray();
        foreach (var _ in registryIds)
        {
            data.Add(new JsonObject
            {
                ["authorizationToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + RegistryPassword)),
                ["expiresAt"] = expiresAt.ToUnixTimeMilliseconds() / 1000.0,
                ["proxyEndpoint"] = $"http://{Registry.Host}",
            });
        }

        return new JsonObject { ["authorizationData"] = data };
    }

    private JsonObject DescribeRepositories(JsonObject input)
    {
        CheckRegistryId(input);
        var repositories = new JsonArray();
        if (input["repositoryNames"] is JsonArray names)
        {
            foreach (var name in names.Select(node => (string)node!))
            {
                repositories.Add(Repository(name).DeepClone());
            }
        }
        else
        {
            foreach (var repository in _repositories.Values.OrderBy(r => (string?)r["repositoryName"], StringComparer.Ordinal))
            {
                repositories.Add(repository.DeepClone());
            }
        }

        return new JsonObject { ["repositories"] = repositories };
    }

    private JsonObject CreateRepository(JsonObject input)
    {
        CheckRegistryId(input);
        var name = (string?)input["repositoryName"] ?? throw Invalid("repositoryName is required");
        if (!RepositoryName().IsMatch(name) || name.Length < 2 || name.Length > 256)
        {
            throw Invalid($"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''");
        }

        var mutability = (string?)input["imageTagMutability"] ?? "MUTABLE";
        if (mutability is not ("MUTABLE" or "IMMUTABLE"))
        {
            throw Invalid($"Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE]'");
        }

        var scanOnPush = input["imageScanningConfiguration"]?["scanOnPush"]?.GetValue<bool>() ?? false;
        var repository = NewRepository(name, mutability, scanOnPush);
        if (!_repositories.TryAdd(name, repository))
        {
            throw new EcrError(HttpStatusCode.BadRequest, "RepositoryAlreadyExistsException",
                $"The repository with name '{name}' already exists in the registry with id '{AccountId}'");
        }

        return new JsonObject { ["repository"] = repository.DeepClone() };
    }

    private async Task<JsonObject> DescribeImagesAsync(JsonObject input)
    {
        CheckRegistryId(input);
        var name = RequireRepository(input);
        var details = new JsonArray();
        if (input["imageIds"] is JsonArray ids && ids.Count > 0)
        {
            foreach (var id in ids.OfType<JsonObject>())
            {
                var wanted = (string?)id["imageDigest"] ?? (string?)id["imageTag"] ?? throw Invalid("imageId needs imageDigest or imageTag");
                var head = await HeadAsync(name, wanted) ?? throw new EcrError(HttpStatusCode.BadRequest, "ImageNotFoundException",
                    $"The image with imageId {{imageDigest:'{(string?)id["imageDigest"] ?? "null"}', imageTag:'{(string?)id["imageTag"] ?? "null"}'}} does not exist within the repository with name '{name}' in the registry with id '{AccountId}'");
                details.Add(await DetailAsync(name, head.Digest, head.MediaType));
            }
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tag in await TagsAsync(name))
            {
                if (await HeadAsync(name, tag) is { } head && seen.Add(head.Digest))
                {
                    details.Add(await DetailAsync(name, head.Digest, head.MediaType));
                }
            }
        }

        return new JsonObject { ["imageDetails"] = details };
    }

    private async Task<JsonObject> BatchGetImageAsync(JsonObject input)
    {
        CheckRegistryId(input);
        var name = RequireRepository(input);
        var accepted = input["acceptedMediaTypes"] is JsonArray types ? types.Select(t => (string)t!).ToArray() : AllManifestTypes;
        var images = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in (input["imageIds"] as JsonArray ?? throw Invalid("imageIds is required")).OfType<JsonObject>())
        {
            var tag = (string?)id["imageTag"];
            var digest = (string?)id["imageDigest"];
            var manifest = await GetManifestAsync(name, digest ?? tag ?? "", accepted);
            if (manifest is null || (digest is not null && tag is not null && (await HeadAsync(name, tag))?.Digest != digest))
            {
                failures.Add(new JsonObject
                {
                    ["imageId"] = id.DeepClone(),
                    ["failureCode"] = manifest is null ? "ImageNotFound" : "ImageTagDoesNotMatchDigest",
                    ["failureReason"] = manifest is null ? "Requested image not found" : "Requested image tag does not match digest",
                });
                continue;
            }

            images.Add(new JsonObject
            {
                ["registryId"] = AccountId,
                ["repositoryName"] = name,
                ["imageId"] = new JsonObject { ["imageDigest"] = manifest.Value.Digest, ["imageTag"] = tag },
                ["imageManifest"] = manifest.Value.Body,
                ["imageManifestMediaType"] = manifest.Value.MediaType,
            });
        }

        return new JsonObject { ["images"] = images, ["failures"] = failures };
    }

    /// <summary>
    /// ECR's BatchDeleteImage: 1 to 100 image ids (more is the InvalidParameterException the API answers); by digest
    /// the image goes with every tag on it, by tag alone the tag goes (the image with its last tag). Ids that cannot
    /// be deleted come back as failures (ImageNotFound, ImageTagDoesNotMatchDigest, MissingDigestAndTag), not errors.
    /// </summary>
    private async Task<JsonObject> BatchDeleteImageAsync(JsonObject input)
    {
        CheckRegistryId(input);
        var name = RequireRepository(input);
        var ids = input["imageIds"] as JsonArray ?? throw Invalid("imageIds is required");
        if (ids.Count is < 1 or > MaxBatchDelete)
        {
            throw Invalid($"1 validation error detected: Value at 'imageIds' failed to satisfy constraint: Member must have length less than or equal to {MaxBatchDelete} and greater than or equal to 1");
        }

        var deleted = new JsonArray();
        var failures = new JsonArray();
        var tagged = new List<(string Tag, string Digest)>();
        foreach (var each in await TagsAsync(name))
        {
            if (await HeadAsync(name, each) is { } at)
            {
                tagged.Add((each, at.Digest));
            }
        }

        foreach (var id in ids.OfType<JsonObject>())
        {
            var tag = (string?)id["imageTag"];
            var digest = (string?)id["imageDigest"];
            var head = tag is null && digest is null ? null : await HeadAsync(name, digest ?? tag!);
            var code = tag is null && digest is null ? "MissingDigestAndTag"
                : head is null ? "ImageNotFound"
                : digest is not null && tag is not null && (await HeadAsync(name, tag))?.Digest != digest ? "ImageTagDoesNotMatchDigest"
                : null;
            if (code is not null)
            {
                failures.Add(new JsonObject { ["imageId"] = id.DeepClone(), ["failureCode"] = code, ["failureReason"] = code == "ImageNotFound" ? "Requested image not found" : code });
                continue;
            }

            var target = head!.Value.Digest;
            var tags = tagged.Where(pair => pair.Digest == target).Select(pair => pair.Tag).ToList();

            if (digest is null && tags.Count > 1)
            {
                throw new EcrError(HttpStatusCode.InternalServerError, "ServerException", "the fake ECR cannot untag one of several tags of an image (its backing registry deletes by digest)");
            }

            using var response = await _registryHttp.DeleteAsync(new Uri($"v2/{name}/manifests/{target}", UriKind.Relative));
            if (!response.IsSuccessStatusCode)
            {
                throw new EcrError(HttpStatusCode.InternalServerError, "ServerException", $"backing registry answered DELETE with {(int)response.StatusCode}");
            }

            DeletedDigests.Enqueue(target);
            foreach (var each in tags.DefaultIfEmpty(null))
            {
                deleted.Add(new JsonObject { ["imageDigest"] = target, ["imageTag"] = each });
            }
        }

        return new JsonObject { ["imageIds"] = deleted, ["failures"] = failures };
    }

    private async Task<JsonObject> PutImageAsync(JsonObject input)
    {
        CheckRegistryId(input);
        var name = RequireRepository(input);
        var manifest = (string?)input["imageManifest"] ?? throw Invalid("imageManifest is required");
        var tag = (string?)input["imageTag"];
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));
        if ((string?)input["imageDigest"] is { } givenDigest && givenDigest != digest)
        {
            throw new EcrError(HttpStatusCode.BadRequest, "ImageDigestDoesNotMatchException",
                $"Invalid parameter at 'imageDigest' failed to satisfy constraint: 'digest {givenDigest} does not match the manifest's digest {digest}'");
        }

        var mediaType = (string?)input["imageManifestMediaType"] ?? (string?)JsonNode.Parse(manifest)?["mediaType"] ?? AllManifestTypes[0];
        if (tag is not null && await HeadAsync(name, tag) is { } existing)
        {
            if (existing.Digest == digest)
            {
                throw new EcrError(HttpStatusCode.BadRequest, "ImageAlreadyExistsException",
                    $"Image with digest '{digest}' and tag '{tag}' already exists in the repository with name '{name}' in registry with id '{AccountId}'");
            }

            if (TagMutabilityOf(name) == "IMMUTABLE")
            {
                throw new EcrError(HttpStatusCode.BadRequest, "ImageTagAlreadyExistsException",
                    $"The image tag '{tag}' already exists in the '{name}' repository and cannot be overwritten because the repository is immutable.");
            }
        }

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(manifest));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _registryHttp.PutAsync(new Uri($"v2/{name}/manifests/{tag ?? digest}", UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync();
            throw response.StatusCode == HttpStatusCode.BadRequest
                ? new EcrError(HttpStatusCode.BadRequest, "LayersNotFoundException", $"The registry refused the manifest: {detail}")
                : new EcrError(HttpStatusCode.InternalServerError, "ServerException", $"backing registry answered {(int)response.StatusCode}: {detail}");
        }

        return new JsonObject
        {
            ["image"] = new JsonObject
            {
                ["registryId"] = AccountId,
                ["repositoryName"] = name,
                ["imageId"] = new JsonObject { ["imageDigest"] = digest, ["imageTag"] = tag },
                ["imageManifest"] = manifest,
                ["imageManifestMediaType"] = mediaType,
            },
        };
    }

    private JsonObject NewRepository(string name, string mutability, bool scanOnPush) => new()
    {
        ["repositoryArn"] = $"arn:aws:ecr:{Region}:{AccountId}:repository/{name}",
        ["registryId"] = AccountId,
        ["repositoryName"] = name,
        ["repositoryUri"] = $"{Registry.Host}/{name}",
        ["createdAt"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["imageTagMutability"] = mutability,
        ["imageScanningConfiguration"] = new JsonObject { ["scanOnPush"] = scanOnPush },
        ["encryptionConfiguration"] = new JsonObject { ["encryptionType"] = "AES256" },
    };

    private void CheckRegistryId(JsonObject input)
    {
        if ((string?)input["registryId"] is { } id && id != AccountId)
        {
            throw new EcrError(HttpStatusCode.BadRequest, "RepositoryNotFoundException",
                $"The repository with name '{(string?)input["repositoryName"]}' does not exist in the registry with id '{id}'");
        }
    }

    private JsonObject Repository(string name) =>
        _repositories.TryGetValue(name, out var repository)
            ? repository
            : throw new EcrError(HttpStatusCode.BadRequest, "RepositoryNotFoundException", $"The repository with name '{name}' does not exist in the registry with id '{AccountId}'");

    private string RequireRepository(JsonObject input)
    {
        var name = (string?)input["repositoryName"] ?? throw Invalid("repositoryName is required");
        Repository(name);
        return name;
    }

    private async Task<JsonObject> DetailAsync(string name, string digest, string mediaType)
    {
        var tags = new JsonArray();
        foreach (var tag in await TagsAsync(name))
        {
            if ((await HeadAsync(name, tag))?.Digest == digest)
            {
                tags.Add(tag);
            }
        }

        long size = 0;
        if (await GetManifestAsync(name, digest, AllManifestTypes) is { } manifest && JsonNode.Parse(manifest.Body) is JsonObject body)
        {
            size = (body["config"]?["size"]?.GetValue<long>() ?? 0) + (body["layers"] as JsonArray ?? []).Sum(layer => layer?["size"]?.GetValue<long>() ?? 0);
        }

        var detail = new JsonObject
        {
            ["registryId"] = AccountId,
            ["repositoryName"] = name,
            ["imageDigest"] = digest,
            ["imageSizeInBytes"] = size,
            ["imagePushedAt"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["imageManifestMediaType"] = mediaType,
        };
        if (tags.Count > 0)
        {
            detail["imageTags"] = tags;
        }

        return detail;
    }

    private async Task<(string Digest, string MediaType)?> HeadAsync(string name, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri($"v2/{name}/manifests/{reference}", UriKind.Relative));
        foreach (var type in AllManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await _registryHttp.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (response.Headers.GetValues("Docker-Content-Digest").First(), response.Content.Headers.ContentType?.MediaType ?? AllManifestTypes[0]);
    }

    private async Task<(string Digest, string MediaType, string Body)?> GetManifestAsync(string name, string reference, IEnumerable<string> accepted)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"v2/{name}/manifests/{reference}", UriKind.Relative));
        foreach (var type in accepted)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await _registryHttp.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync();
        return (response.Headers.GetValues("Docker-Content-Digest").First(), response.Content.Headers.ContentType?.MediaType ?? AllManifestTypes[0], body);
    }

    private async Task<IReadOnlyList<string>> TagsAsync(string name)
    {
        using var response = await _registryHttp.GetAsync(new Uri($"v2/{name}/tags/list", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return body?["tags"] is JsonArray tags ? [.. tags.Select(tag => (string)tag!).Order(StringComparer.Ordinal)] : [];
    }

    private static EcrError Invalid(string message) => new(HttpStatusCode.BadRequest, "InvalidParameterException", message);

    [GeneratedRegex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")]
    private static partial Regex RepositoryName();

    private sealed class EcrError(HttpStatusCode status, string type, string message) : Exception(message)
    {
        public HttpStatusCode Status { get; } = status;

        public string Type { get; } = type;
    }
}
