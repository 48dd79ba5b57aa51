using System.Diagnostics;
using System.Globalization;
using System.Text;
using TagForge.Testing;

namespace TagForge.Cli.Tests.Reliability;

/// <summary>
/// While <c>tagforge release</c> logs in and pushes to a basic-auth registry, a sampler reads <c>/proc/*/cmdline</c>
/// and <c>/proc/*/environ</c> of every descendant of the tagforge process (docker, its credential helpers) every few
/// milliseconds: the password, and the base64 <c>user:password</c> docker would store, never appear there, nor on
/// stdout, stderr, in the record, or in any file left in the run's temporary directory (a docker config).
/// Needs: Linux /proc, the Docker engine, docker-registry with htpasswd.
/// </summary>
[Collection(DockerEngine.CollectionName)]
public sealed class SecretsSamplerTests
{
    private const string User = "ci-sampler";
    private const string Password = "Sampl3r-pa55word-x9";

    [Theory]
    [InlineData("environment")]
    [InlineData("stdin")]
    public async Task The_password_reaches_no_child_process_output_record_or_leftover_file(string channel)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(User, Password);
        using var repository = await SampleApp.CreateAsync();
        using var temporary = new TempDirectory("sampler-tmp");
        var image = $"{registry.Host}/team/sampled";
        var secrets = new[] { Password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")) };

        var start = new ProcessStartInfo(TagForgeCli.ExecutablePath)
        {
            WorkingDirectory = repository.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "release", "--image", image, "--rm-local" }.Concat(channel == "stdin" ? ["--username", User, "--password-stdin"] : []))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in TagForgeCli.ReleaseEnvironment())
        {
            start.Environment.Remove(name);
        }

        start.Environment["TMPDIR"] = temporary.Path;
        if (channel == "environment")
        {
            start.Environment["TAGFORGE_REGISTRY_USERNAME"] = User;
            start.Environment["TAGFORGE_REGISTRY_PASSWORD"] = Password;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (channel == "stdin")
        {
            await process.StandardInput.WriteLineAsync(Password);
        }

        process.StandardInput.Close();
        var leaks = new List<string>();
        var sampled = new HashSet<int>();
        while (!process.HasExited)
        {
            foreach (var pid in Descendants(process.Id))
            {
                if (IsStillTagForge(pid))
                {
                    // Forked, not yet exec'd: that memory is tagforge's own, whose environment the user set.
                    continue;
                }

                sampled.Add(pid);
                foreach (var file in new[] { "cmdline", "environ" })
                {
                    var content = TryRead($"/proc/{pid}/{file}");
                    if (content is not null && secrets.Any(secret => content.Contains(secret, StringComparison.Ordinal)))
                    {
                        leaks.Add($"/proc/{pid}/{file}: {content.Replace('\0', ' ')}");
                    }
                }
            }

            await Task.Delay(2, TestContext.Current.CancellationToken);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}");
        Assert.True(sampled.Count > 0, "no child process was sampled (docker build and push run as children)");
        Assert.Empty(leaks);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(repository.Path, "tagforge.json")), StringComparison.Ordinal);
        }

        foreach (var file in Directory.EnumerateFiles(temporary.Path, "*", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(repository.Path, "*", SearchOption.AllDirectories)))
        {
            var content = TryRead(file) ?? "";
            Assert.False(secrets.Any(secret => content.Contains(secret, StringComparison.Ordinal)), $"{file} holds the password");
        }
    }

    /// <summary>Every process whose chain of parents reaches <paramref name="root"/> (not the root itself).</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(Path.Combine(directory, "stat")) is { } stat)
            {
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
                {
                    parents[pid] = parent;
                }
            }
        }

        return parents.Keys.Where(pid =>
        {
            for (var current = parents.GetValueOrDefault(pid); current > 1; current = parents.GetValueOrDefault(current))
            {
                if (current == root)
                {
                    return true;
                }
            }

            return false;
        }).ToList();
    }

    private static bool IsStillTagForge(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget is { } exe
                && Path.GetFullPath(exe) == Path.GetFullPath(TagForgeCli.ExecutablePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
