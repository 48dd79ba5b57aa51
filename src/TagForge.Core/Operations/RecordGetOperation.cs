using TagForge.Errors;
using TagForge.Records;
using TagForge.Services;

namespace TagForge.Operations;

/// <summary>Reads one value of an image's entry from the build record.</summary>
public static class RecordGetOperation
{
    /// <summary>Finds <see cref="RecordGetRequest.Image"/> in the record and returns the field asked for.</summary>
    /// <exception cref="BadInputException">No image named, the record is missing or unreadable, or it has no entry for the image.</exception>
    public static Task<RecordGetResult> RunAsync(RecordGetRequest request, TagForgeServices services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        cancellationToken.ThrowIfCancellationRequested();
        var path = request.Record ?? BuildRecordFile.DefaultPath;
        var image = request.Image ?? throw new BadInputException("no image: name the repository as released");
        var entry = BuildRecordFile.Read(services.Resolve(path)!, path).Find(image)
            ?? throw new BadInputException($"the build record {path} has no entry for {image}");
        if (request.Platform is { } platform)
        {
            var digest = entry.DigestFor(platform)
                ?? throw new BadInputException($"the entry for {image} in {path} has no {platform} manifest (it has {string.Join(", ", entry.Platforms?.Select(p => p.Platform) ?? (entry.Platform is { } own ? [own] : []))})");
            var tag = entry.Platforms?.FirstOrDefault(p => p.Platform == platform)?.Tag ?? entry.Tag;
            return Task.FromResult(new RecordGetResult(entry, (request.Field ?? RecordField.Reference) switch
            {
                RecordField.Digest => digest,
                RecordField.Tag => tag,
                _ => $"{entry.Repository}@{digest}",
            }));
        }

        var value = (request.Field ?? RecordField.Reference) switch
        {
            RecordField.Digest => entry.Digest,
            RecordField.Tag => entry.Tag,
            _ => entry.Reference,
        };
        return Task.FromResult(new RecordGetResult(entry, value));
    }
}
