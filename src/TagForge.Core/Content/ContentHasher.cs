using System.Runtime.CompilerServices;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TagForge.Errors;

namespace TagForge.Content;

/// <summary>
/// The content identity of an image (the <c>{content}</c> hash): SHA-256 over everything building it again would
/// read, so the same identity means the same image, on every machine and in every checkout:
/// <list type="bullet">
/// <item>every entry the builder is sent (<see cref="ContextWalker"/>, by the builder's own rules: files git ignores
/// included): its path, kind, permission bits, a file's git blob hash of its bytes (from git's stat cache when the
/// file is tracked and clean), a link's target;</item>
/// <item>the Dockerfile's bytes, every build argument, the arguments after <c>--</c>, the target, the platform, the
/// base images' digests.</item>
/// </list>
/// What it cannot see (a download without a checksum, a secret, the network) is reported by
/// <see cref="DockerfileInputs"/>: such an image is never reused on its identity alone.
/// </summary>
public static class ContentHasher
{
    /// <summary>Bumped whenever what is hashed changes, so old and new identities never collide.</summary>
    private const string Version = "tagforge-content-v3";

    /// <summary>From this many files to read on, they are read on every core.</summary>
    private const int ParallelFiles = 64;

    /// <summary>The identity of <paramref name="input"/>: 64 lowercase hex digits.</summary>
    /// <exception cref="BadInputException">The context is missing or unreadable, or its ignore file has a pattern the engine refuses.</exception>
    public static string Compute(ContentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var snapshot = ContentSnapshot.TryOpen(input.ContextPath);
        return Identify(input, snapshot).Value;
    }

    /// <summary>The identity of <paramref name="input"/>, with git's stat cache from <paramref name="snapshot"/> (one repository for many images).</summary>
    /// <exception cref="BadInputException">The context is missing or unreadable, or its ignore file has a pattern the engine refuses.</exception>
    public static string Compute(ContentInput input, ContentSnapshot? snapshot) => Identify(input, snapshot).Value;

    /// <summary>
    /// The identity of <paramref name="input"/> whichever builder runs it, classic or BuildKit: where they would send
    /// the same files (no ignore file, or patterns both read alike, and the Dockerfile in the context) it is one
    /// identity for both, so a retry on a runner with the other builder is still a rerun; where they would send
    /// different files it covers what each would send, so a change either builder would see changes it.
    /// </summary>
    /// <exception cref="BadInputException">The context is missing or unreadable, or its ignore file has a pattern the engine refuses.</exception>
    public static ContentIdentity IdentifyForEitherBuilder(ContentInput input, ContentSnapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(input);
        var buildKit = Identify(input with { Rules = ContextRules.BuildKit }, snapshot);
        var context = ContextWalker.Resolve(input.ContextPath);
        if (BuilderAgreement.SelectAlike(context, input.Dockerfile))
        {
            // No ignore file, or patterns both builders provably apply alike, and the Dockerfile inside: one walk.
            return buildKit;
        }

        var dockerfileOutside = ContextWalker.RelativeDockerfile(context, input.Dockerfile) is null;
        var classicInput = input with { Rules = ContextRules.Classic };
        var classicEntries = Select(classicInput, buildKit.Entries);
        if (!dockerfileOutside && SameSelection(buildKit.Entries, classicEntries))
        {
            // The classic manifest would be this one line for line: nothing is read twice.
            return buildKit;
        }

        var classic = Describe(classicInput, classicEntries, Usable(snapshot, input));
        if (classic.Value == buildKit.Value)
        {
            return buildKit;
        }

        var both = new StringBuilder(Version).Append(" either-builder\nbuildkit ").Append(buildKit.Value).Append("\nclassic ").Append(classic.Value).Append('\n');
        var sent = buildKit.Entries.Select(entry => entry.Path).ToHashSet(StringComparer.Ordinal);
        var entries = buildKit.Entries.Concat(classic.Entries.Where(entry => !sent.Contains(entry.Path))).ToList();
        return new ContentIdentity(Sha256(both), entries, $"{both}--- buildkit\n{buildKit.Manifest}--- classic\n{classic.Manifest}");
    }

    /// <summary>True when two selections (each sorted by path) send the same entries with the same kinds, modes and link targets.</summary>
    private static bool SameSelection(IReadOnlyList<ContextEntry> first, IReadOnlyList<ContextEntry> second)
    {
        if (first.Count != second.Count)
        {
            return false;
        }

        for (var i = 0; i < first.Count; i++)
        {
            var (a, b) = (first[i], second[i]);
            if (a.Path != b.Path || a.Kind != b.Kind || a.Mode != b.Mode || a.LinkTarget != b.LinkTarget)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The identity of <paramref name="input"/> and what it covers, as <see cref="ContentInput.Rules"/>'s builder selects the context.</summary>
    /// <exception cref="BadInputException">The context is missing or unreadable, or its ignore file has a pattern the engine refuses.</exception>
    public static ContentIdentity Identify(ContentInput input, ContentSnapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Describe(input, Select(input), Usable(snapshot, input));
    }

    /// <summary>The snapshot when it holds the context, else none (git's stat cache is then not used).</summary>
    private static ContentSnapshot? Usable(ContentSnapshot? snapshot, ContentInput input) =>
        snapshot is not null && snapshot.Holds(input.ContextPath) ? snapshot : null;

    /// <summary>The entries <paramref name="input"/>'s builder is sent, without TagForge's own outputs.</summary>
    private static IReadOnlyList<ContextEntry> Select(ContentInput input, IReadOnlyList<ContextEntry>? known = null)
    {
        var entries = ContextWalker.Walk(input.ContextPath, input.Dockerfile, input.Rules, known);
        if (input.OwnOutputs.Count == 0)
        {
            return entries;
        }

        var own = input.OwnOutputs.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        return [.. entries.Where(entry => !own.Contains(entry.FullPath))];
    }

    /// <summary>The identity of <paramref name="entries"/>, selected for <paramref name="input"/>, with every other build input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ContentIdentity Describe(ContentInput input, IReadOnlyList<ContextEntry> entries, ContentSnapshot? snapshot)
    {
        var context = ContextWalker.Resolve(input.ContextPath);
        var ids = FileIds(entries, snapshot, snapshot?.RepositoryPrefix(context));
        var text = new StringBuilder(Version).Append('\n');
        Span<char> mode = stackalloc char[4];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            Octal(entry.Mode, mode);
            _ = entry.Kind switch
            {
                ContextEntryKind.Directory => text.Append("dir ").Append(mode),
                ContextEntryKind.Symlink => text.Append("link ").Append(Escape(entry.LinkTarget!)),
                _ => text.Append("file ").Append(mode).Append(' ').Append(ids[i]),
            };
            text.Append('\t').Append(Escape(entry.Path)).Append('\n');
        }

        var dockerfile = input.Dockerfile ?? Path.Combine(context, "Dockerfile");
        text.Append("dockerfile ").Append(DockerfileHash(dockerfile));
        if (input.Rules == ContextRules.Classic && ContextWalker.RelativeDockerfile(context, input.Dockerfile) is null)
        {
            // The classic CLI adds an outside Dockerfile to the context under a random name and appends that name to
            // the .dockerignore it sends (creating one when there is none).
            text.Append(" outside-context");
        }

        text.Append('\n');
        foreach (var arg in input.BuildArgs)
        {
            text.Append("build-arg ").Append(Escape(arg)).Append('\n');
        }

        foreach (var arg in input.ExtraBuildArguments)
        {
            text.Append("extra-arg ").Append(Escape(arg)).Append('\n');
        }

        text.Append("target ").Append(Escape(input.Target ?? "")).Append('\n');
        text.Append("platform ").Append(Escape(input.Platform ?? "")).Append('\n');
        foreach (var (name, digest) in input.BaseDigests.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append("base ").Append(Escape(name)).Append('=').Append(Escape(digest)).Append('\n');
        }

        return new ContentIdentity(Sha256(text), entries, text.ToString());
    }

    internal static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The Dockerfile's SHA-256, or "missing" (none, or a dangling link: the build fails the same way either way).</summary>
    private static string DockerfileHash(string dockerfile)
    {
        try
        {
            return HashFile(dockerfile);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return "missing";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the Dockerfile {dockerfile}: {ex.Message}", ex);
        }
    }

    /// <summary>Each file's git blob hash (SHA-1 of "blob SIZE\0" and its bytes): from git's stat cache when it proves the file clean, else read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string?[] FileIds(IReadOnlyList<ContextEntry> entries, ContentSnapshot? snapshot, string? prefix)
    {
        var ids = new string?[entries.Count];
        var toRead = new List<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Kind is ContextEntryKind.File or ContextEntryKind.Special)
            {
                ids[i] = prefix is null ? null : snapshot!.CleanBlob(prefix, entry.Path, entry.Stat);
                if (ids[i] is null)
                {
                    toRead.Add(i);
                }
            }
        }

        if (toRead.Count < ParallelFiles)
        {
            toRead.ForEach(i => ids[i] = BlobHash(entries[i]));
        }
        else
        {
            Parallel.ForEach(toRead, i => ids[i] = BlobHash(entries[i]));
        }

        return ids;
    }

    private static string BlobHash(ContextEntry entry)
    {
        try
        {
            using var file = File.OpenHandle(entry.FullPath);
            var length = RandomAccess.GetLength(file);
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            sha1.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {length}\0")));
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                long offset = 0;
                int read;
                while ((read = RandomAccess.Read(file, buffer, offset)) > 0)
                {
                    sha1.AppendData(buffer, 0, read);
                    offset += read;
                }

                if (offset != length)
                {
                    throw new BadInputException($"the build context file {entry.FullPath} changed while TagForge read it");
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            return Convert.ToHexStringLower(sha1.GetHashAndReset());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read {entry.FullPath} in the build context: {ex.Message} (the builder cannot send it either)", ex);
        }
    }

    /// <summary>The permission bits as four octal digits (<c>0755</c>).</summary>
    private static void Octal(int mode, Span<char> digits)
    {
        if ((uint)mode > 0xFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a permission mode");
        }

        for (var i = 3; i >= 0; i--, mode >>= 3)
        {
            digits[i] = (char)('0' + (mode & 7));
        }
    }

    /// <summary>SHA-256 of the UTF-8 of <paramref name="text"/>, a piece at a time (the text can be megabytes).</summary>
    private static string Sha256(StringBuilder text)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var encoder = new UTF8Encoding(false, false).GetEncoder();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            foreach (var chunk in text.GetChunks())
            {
                for (var rest = chunk.Span; rest.Length > 0;)
                {
                    encoder.Convert(rest, buffer, flush: false, out var used, out var written, out _);
                    sha256.AppendData(buffer, 0, written);
                    rest = rest[used..];
                }
            }

            encoder.Convert([], buffer, flush: true, out _, out var last, out _);
            sha256.AppendData(buffer, 0, last);
            return Convert.ToHexStringLower(sha256.GetHashAndReset());
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Escape(string text) => text.AsSpan().IndexOfAny('\\', '\n', '\t') < 0 ? text :
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
