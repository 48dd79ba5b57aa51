using TagForge.Errors;
using TagForge.Testing;

namespace TagForge.Operations;

public sealed class RecordGetOperationTests
{
    [Theory]
    [InlineData(null, $"{Samples.Repository}@{Samples.Digest}")]
    [InlineData(RecordField.Digest, Samples.Digest)]
    [InlineData(RecordField.Tag, Samples.Tag)]
    public async Task Returns_the_field_asked_for_from_the_record_in_the_working_directory(RecordField? field, string expected)
    {
        using var directory = new TempDirectory("record-op");
        directory.Write("tagforge.json", Samples.Record);

        using var services = Samples.In(directory);
        var result = await RecordGetOperation.RunAsync(new RecordGetRequest { Image = Samples.Repository, Field = field }, services, TestContext.Current.CancellationToken);

        Assert.Equal(expected, result.Value);
        Assert.Equal(Samples.Digest, result.Entry.Digest);
    }

    [Fact]
    public async Task An_image_not_in_the_record_is_bad_input_naming_the_record_as_given()
    {
        using var directory = new TempDirectory("record-op");
        directory.Write("out/record.json", Samples.Record);

        using var services = Samples.In(directory);
        var error = await Assert.ThrowsAsync<BadInputException>(() => RecordGetOperation.RunAsync(
            new RecordGetRequest { Record = "out/record.json", Image = "registry.example.com/team/missing" }, services, TestContext.Current.CancellationToken));

        Assert.Equal("the build record out/record.json has no entry for registry.example.com/team/missing", error.Message);
    }
}
