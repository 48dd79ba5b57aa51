using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.IO;

public class AtomicFileTests
{
    [Fact]
    public void Replaces_the_file_and_leaves_no_temporary_behind()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "IMAGE.TAG");
        File.WriteAllText(path, "old\n");

        AtomicFile.WriteAllText(path, "new\n");

        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Names_the_missing_directory_not_a_temporary_file()
    {
        using var directory = new TempDirectory();
        var missing = Path.Combine(directory.Path, "no-such-dir");

        var error = Assert.Throws<BadInputException>(() => AtomicFile.WriteAllText(Path.Combine(missing, "IMAGE.TAG"), "x"));

        Assert.Equal($"cannot write {Path.Combine(missing, "IMAGE.TAG")}: the directory {missing} does not exist", error.Message);
        Assert.False(Directory.Exists(missing));
    }
}
