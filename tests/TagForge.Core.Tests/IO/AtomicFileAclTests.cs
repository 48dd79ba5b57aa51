using TagForge.Testing;

namespace TagForge.IO;

/// <summary>
/// A file shared through an ACL stays shared after TagForge rewrites it, as it does after <c>sed -i</c>: each case is
/// written once by TagForge (a single write, and pin's batch) and once by GNU sed, and <c>getfacl</c> must read the
/// same ACL from both. Needs: Linux, root, <c>setfacl</c>/<c>getfacl</c> (the acl package; scripts/test.sh installs it).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AtomicFileAclTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "a grant to a user and a group", false },
        { "a grant to a user and a group", true },
        { "a default ACL on the directory, none on the file", false },
        { "a default ACL on the directory, none on the file", true },
        { "a default ACL on the directory and the file's own", false },
        { "a default ACL on the directory and the file's own", true },
        { "an ACL of 150 entries", false },
        { "an ACL of 150 entries", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_rewritten_file_keeps_the_ACL_sed_keeps(string acl, bool batch)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root", "ACLs of files TagForge rewrites, as root");
        using var directory = new TempDirectory("acl");
        var ours = directory.Write("ours.yaml", "image: app:1.0\n");
        var sed = directory.Write("sed.yaml", "image: app:1.0\n");
        foreach (var file in new[] { ours, sed })
        {
            switch (acl)
            {
                case "a grant to a user and a group":
                case "a default ACL on the directory and the file's own":
                    await Run("setfacl", "-m", "u:nobody:rw-,g:daemon:r--", file);
                    break;
                case "an ACL of 150 entries":
                    await Run("setfacl", "-m", string.Join(',', Enumerable.Range(20000, 150).Select(user => $"u:{user}:r--")), file);
                    break;
            }
        }

        if (acl.StartsWith("a default ACL", StringComparison.Ordinal))
        {
            // Set after the files exist: they have none of it, but a file created now inherits it.
            await Run("setfacl", "-d", "-m", "u:nobody:rwx", directory.Path);
        }

        var before = await Acl(ours);

        if (batch)
        {
            var files = new AtomicFileBatch();
            files.WriteAllBytes(ours, "image: app:1.1\n"u8, "ours.yaml");
            files.Sync();
        }
        else
        {
            AtomicFile.WriteAllText(ours, "image: app:1.1\n");
        }

        await Run("sed", "-i", "s/1.0/1.1/", sed);

        Assert.Equal("image: app:1.1\n", File.ReadAllText(ours));
        Assert.Equal(await Acl(sed), await Acl(ours));
        Assert.Equal(before, await Acl(ours));
        if (!acl.StartsWith("a default ACL on the directory, none", StringComparison.Ordinal))
        {
            Assert.Contains(acl.Contains("150", StringComparison.Ordinal) ? "user:20149:r--" : "user:nobody:rw-", await Acl(ours), StringComparison.Ordinal);
        }
    }

    private static async Task<string> Acl(string path) => await Run("getfacl", "-c", "-p", path) + await Run("stat", "-c", "%a", path);

    private static async Task<string> Run(string command, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(command, arguments, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }
}
