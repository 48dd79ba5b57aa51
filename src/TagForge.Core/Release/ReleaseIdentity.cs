using TagForge.Content;
using TagForge.Errors;
using TagForge.Services;

namespace TagForge.Release;

/// <summary>
/// An image's content identity from everything its build takes: the context and Dockerfile, every build argument
/// (the flags', tagforge.yml's, and what follows <c>--</c>), the target, the platform (the engine's default when none
/// is asked for), and the identities of the images of this release it is built from. The planner and a single
/// release both take it from here, so a plan and the run it describes agree.
/// </summary>
public static class ReleaseIdentity
{
    /// <summary>The inputs of one image's build.</summary>
    /// <param name="Context">The build context (absolute).</param>
    /// <param name="Dockerfile">The Dockerfile (absolute), or null for CONTEXT/Dockerfile.</param>
    /// <param name="BuildArgs">Every build argument as written, <c>{image:NAME}</c> unreplaced (the base's identity stands for it).</param>
    /// <param name="PassThrough">The arguments after <c>--</c>.</param>
    /// <param name="Target">The stage.</param>
    /// <param name="Platform">The platform(s) asked for (<c>a,b</c>), or null for the engine's default.</param>
    /// <param name="Bases">The identities of the images of this release it is built from, by name.</param>
    public sealed record Inputs(
        string Context,
        string? Dockerfile,
        IReadOnlyList<string> BuildArgs,
        IReadOnlyList<string> PassThrough,
        string? Target,
        string? Platform,
        IReadOnlyDictionary<string, string> Bases);

    /// <summary>The files a release writes after its build (record, its lock, dotenv), absolute: never part of the identity.</summary>
    public static IReadOnlyCollection<string> OwnOutputs(string? recordPath, string? dotenvPath, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var outputs = new List<string>();
        if (services.Resolve(recordPath) is { } record)
        {
            outputs.Add(record);
            outputs.Add(Records.BuildRecordStore.LockPathFor(record));
        }

        if (services.Resolve(dotenvPath) is { } dotenv)
        {
            outputs.Add(dotenv);
        }

        return outputs;
    }

    /// <summary>The identity of <paramref name="inputs"/> (64 hex digits).</summary>
    /// <exception cref="BadInputException">The context cannot be read as the builder would (not in a git repository, no commit).</exception>
    public static string Compute(Inputs inputs, string? defaultPlatform, IReadOnlyCollection<string> ownOutputs, ContentSnapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return ContentHasher.IdentifyForEitherBuilder(
            new ContentInput
            {
                ContextPath = inputs.Context,
                Dockerfile = inputs.Dockerfile,
                BuildArgs = inputs.BuildArgs,
                ExtraBuildArguments = inputs.PassThrough,
                Target = inputs.Target,
                Platform = inputs.Platform ?? defaultPlatform ?? "engine-default",
                BaseDigests = inputs.Bases,
                // Either builder may run it (docker's default depends on its version and plugins): the identity covers
                // what each would send, and is one identity when they send the same.
                OwnOutputs = ownOutputs,
            },
            snapshot).Value;
    }

    /// <summary>The identity of the layered single-image <paramref name="layered"/>; null when it cannot be known (no git repository, not building).</summary>
    public static string? Of(ReleaseRequest layered, TagForgeServices services)
    {
        ArgumentNullException.ThrowIfNull(layered);
        ArgumentNullException.ThrowIfNull(services);
        if (layered.SkipBuild || layered.ContextPath is null)
        {
            return null;
        }

        try
        {
            return Compute(
                new Inputs(layered.ContextPath, layered.Dockerfile, layered.BuildArgs, layered.ExtraBuildArguments, layered.Target, layered.Platform, new Dictionary<string, string>()),
                PlatformNames.EngineDefault(services.Environment, ReleaseBuilders.DockerEnvironment(layered)),
                OwnOutputs(layered.RecordPath, layered.DotenvPath, services),
                snapshot: null);
        }
        catch (TagForgeException)
        {
            // No identity (a context outside git): the image is built and pushed, never recognised as a rerun.
            return null;
        }
    }
}
