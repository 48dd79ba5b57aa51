using System.Security.Cryptography;
using System.Text;
using TagForge.Testing;

namespace TagForge.Git;

public sealed class BlobHasherTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(46)]
    [InlineData(47)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(200_003)]
    public void Hashes_a_blob_as_sha1_of_its_header_and_bytes_in_any_pieces(int length)
    {
        var content = new byte[length];
        new Random(length).NextBytes(content);
#pragma warning disable CA5350 // git's object ids are SHA-1: the reference to compare with
        var expected = SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {length}\0"), .. content]);
#pragma warning restore CA5350

        var hasher = new BlobHasher();
        foreach (var piece in new[] { length, 1, 63, 4096 })
        {
            hasher.StartBlob(length);
            for (var offset = 0; offset < length; offset += Math.Max(piece, 1))
            {
                hasher.Append(content.AsSpan(offset, Math.Min(Math.Max(piece, 1), length - offset)));
            }

            var hash = new byte[20];
            hasher.Finish(hash);
            Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(hash));
        }
    }

    [Fact]
    public async Task Agrees_with_git_hash_object()
    {
        using var repository = await TestRepository.InitAsync();
        var path = repository.WriteFile("a.txt", "hello, git\n");
        var hasher = new BlobHasher();
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        hasher.StartBlob(bytes.Length);
        hasher.Append(bytes);
        var hash = new byte[20];
        hasher.Finish(hash);

        Assert.Equal((await repository.GitAsync("hash-object", "a.txt")).Trim(), Convert.ToHexStringLower(hash));
    }
}
