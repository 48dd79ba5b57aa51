using TagForge.IO;

namespace TagForge.Cli.Tests;

/// <summary>The plain progress line of each kind of report (what a build script's sink or a CI log would read).</summary>
public sealed class StderrProgressTests
{
    [Fact]
    public void A_count_of_files_reads_as_before()
    {
        var update = new ProgressUpdate("verify: reading files", ProgressUnit.Files, 4000, 10000, TimeSpan.FromSeconds(2));

        Assert.Equal("verify: reading files: 4,000 of 10,000 files (40%), 2000/s", StderrProgress.Format(update));
    }

    [Fact]
    public void An_images_state_names_the_image_after_the_count_of_settled_images()
    {
        var update = new ProgressUpdate("release", ProgressUnit.Images, 2, 3, TimeSpan.Zero) { Subject = "api", State = "building" };

        Assert.Equal("release: 2 of 3 images (66%), api building", StderrProgress.Format(update));
        Assert.Equal("release: 3 of 3 images (100%), web built, done", StderrProgress.Format(update with { Done = 3, Subject = "web", State = "built", Finished = true }));
    }
}
