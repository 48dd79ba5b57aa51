using System.Text;

namespace TagForge.Cli.Tests.BadInput;

/// <summary>
/// One hostile or broken input: the command line, the files it finds in its (git) working directory, the exit code
/// it must end with and a fragment its stderr must hold; <see cref="Forbidden"/> must appear nowhere in the output.
/// <see cref="Pending"/> names who fixes a case not fixed on this branch yet (it is skipped until then).
/// </summary>
public sealed record BadInputCase(
    string Name,
    string[] Arguments,
    IReadOnlyDictionary<string, byte[]> Files,
    int ExitCode,
    string Fragment,
    string? Forbidden = null,
    string? Pending = null,
    UnixFileMode? ReadOnlyFile = null);

/// <summary>The corpus: each case says what it feeds TagForge and what must come out. Add a case here, not a test.</summary>
public static class BadInputCorpus
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private static readonly string Record = $$"""
        {"schemaVersion": 1, "images": [{"repository": "registry.example.com/team/api", "tag": "v1", "digest": "{{Digest}}",
          "reference": "registry.example.com/team/api@{{Digest}}", "imageId": null, "tags": ["v1"], "platform": null,
          "git": {"commit": "abcdef1234567890abcdef1234567890abcdef12", "branch": "main", "dirty": false},
          "build": {"provider": "local", "number": "7", "url": null}, "createdAt": "2026-11-22T18:40:00+00:00"}]}
        """;

    private static readonly string Pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n  - name: api\n    image: registry.example.com/team/api:1.0\n";

    public static IReadOnlyList<BadInputCase> Cases { get; } =
    [
        new("port-out-of-range", ["release", "--image", "localhost:99999/app", "--dry-run"], Files(), 2,
            "the port must be a number from 1 to 65535, not '99999'"),
        new("port-not-a-number", ["release", "--image", "registry.example.com:12ab/app", "--dry-run"], Files(), 2,
            "the port must be a number"),
        new("port-out-of-range-in-a-file-resolve", ["resolve", "pod.yaml"], Files(("pod.yaml", Pod.Replace("registry.example.com", "localhost:99999", StringComparison.Ordinal))), 0,
            "0 distinct references resolved"),
        new("port-out-of-range-in-a-file-lint", ["lint", "pod.yaml"], Files(("pod.yaml", Pod.Replace("registry.example.com", "localhost:99999", StringComparison.Ordinal))), 0,
            "the port must be a number from 1 to 65535"),
        new("userinfo-url-image", ["release", "--image", "http://ci-user:hunter2-secret@registry.example.com/app", "--dry-run"], Files(), 2,
            "'http://***@registry.example.com/app'", Forbidden: "hunter2-secret"),
        new("scheme-in-image", ["release", "--image", "https://registry.example.com/app", "--dry-run"], Files(), 2,
            "starts with a scheme 'https://': an image reference has none; drop it (registry.example.com/app)"),
        new("userinfo-without-scheme", ["release", "--image", "ci-user:hunter2-secret@registry.example.com/app", "--dry-run"], Files(), 2,
            "***@registry.example.com/app", Forbidden: "hunter2-secret"),
        new("userinfo-url-in-a-deployment-file", ["lint", "pod.yaml"], Files(("pod.yaml", Pod.Replace("registry.example.com/team/api:1.0", "https://ci-user:hunter2-secret@registry.example.com/team/api:1.0", StringComparison.Ordinal))), 0,
            "***@registry.example.com", Forbidden: "hunter2-secret"),
        new("control-character-in-template", ["tag", "--template", "v\u0001{sha:7}"], Files(), 2,
            "has U+0001 at position 2"),
        new("nul-in-template-from-config", ["release", "--dry-run"], Files(("tagforge.yml", "image: registry.example.com/team/api\ntemplate: \"v\\0x\"\n")), 2,
            "has U+0000 at position 2"),
        new("escape-sequence-in-template", ["tag", "--template", "v\u001b[31m"], Files(), 2,
            "U+001B"),
        new("template-too-long", ["tag", "--template", new string('x', 200)], Files(), 2,
            "200"),
        new("record-schema-version-as-string", ["record", "get", "--image", "registry.example.com/team/api", "--record", "tagforge.json"],
            Files(("tagforge.json", "{\"schemaVersion\": \"1\", \"images\": []}")), 2, "schemaVersion"),
        new("record-empty", ["record", "get", "--image", "registry.example.com/team/api", "--record", "tagforge.json"], Files(("tagforge.json", "")), 2,
            "is not valid JSON"),
        new("record-binary-garbage", ["record", "get", "--image", "registry.example.com/team/api", "--record", "tagforge.json"], Files(("tagforge.json", Garbage(4096))), 2,
            "is not valid JSON"),
        new("record-images-not-an-array", ["pin", "pod.yaml", "--record", "tagforge.json"], Files(("pod.yaml", Pod), ("tagforge.json", "{\"schemaVersion\": 1, \"images\": {}}")), 2,
            "tagforge.json"),
        new("deployment-binary-garbage", ["lint", "garbage.yaml"], Files(("garbage.yaml", Garbage(4096))), 2,
            "garbage.yaml: not UTF-8 text"),
        new("deployment-empty", ["pin", "empty.yaml", "--record", "tagforge.json"], Files(("empty.yaml", ""), ("tagforge.json", Record)), 0,
            ""),
        new("deep-yaml", ["lint", "deep.yaml"], Files(("deep.yaml", "a: " + new string('[', 50_000) + new string(']', 50_000) + "\n")), 2,
            "deep.yaml"),
        new("deep-yaml-block", ["lint", "deep.yaml"], Files(("deep.yaml", DeepBlockYaml(20_000))), 2,
            "deep.yaml"),
        new("deep-json", ["lint", "deep.json"], Files(("deep.json", new string('[', 50_000) + new string(']', 50_000))), 2,
            "deep.json:1: nested deeper than 256 levels"),
        new("huge-flow-yaml", ["lint", "flow.yaml"], Files(("flow.yaml", "a: " + string.Concat(Enumerable.Repeat("{a: ", 2_000)) + "1" + new string('}', 2_000) + "\n")), 2,
            "flow.yaml"),
        new("duplicate-container-definitions", ["pin", "task.json", "--record", "tagforge.json"],
            Files(("task.json", "{\"family\": \"api\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"registry.example.com/team/api:0.9\"}],\n \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"registry.example.com/team/api:1.0\"}]}\n"), ("tagforge.json", Record)), 2,
            "duplicate"),
        new("read-only-deployment-file", ["pin", "pod.yaml", "--record", "tagforge.json"], Files(("pod.yaml", Pod), ("tagforge.json", Record)), 2,
            "cannot write pod.yaml: it is read-only",
            ReadOnlyFile: UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead),
        new("output-in-a-missing-directory", ["tag", "--output", "no/such/dir/IMAGE.TAG"], Files(), 2,
            "does not exist"),
        new("parallel-overflows-int", ["verify", "-j", "99999999999", "pod.yaml"], Files(("pod.yaml", Pod)), 2,
            "--parallel"),
        new("unknown-command", ["deploy"], Files(), 2,
            "unknown command 'deploy'"),
        new("config-binary-garbage", ["release", "--dry-run"], Files(("tagforge.yml", Garbage(2048))), 2,
            "tagforge.yml"),
        new("config-not-a-mapping", ["release", "--dry-run"], Files(("tagforge.yml", "- just\n- a list\n")), 2,
            "tagforge.yml"),
    ];

    /// <summary>The files a case starts with, as UTF-8 text or raw bytes.</summary>
    private static Dictionary<string, byte[]> Files(params (string Name, object Content)[] files) =>
        files.ToDictionary(file => file.Name, file => file.Content as byte[] ?? Encoding.UTF8.GetBytes((string)file.Content));

    /// <summary>Bytes that are neither UTF-8 nor anything else, the same on every run.</summary>
    private static byte[] Garbage(int length)
    {
        var random = new Random(14);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] = 0x9F;
        return bytes;
    }

    /// <summary><c>- - - … x</c>: block sequences nested <paramref name="depth"/> deep on one line.</summary>
    private static string DeepBlockYaml(int depth) => string.Concat(Enumerable.Repeat("- ", depth)) + "x\n";
}
