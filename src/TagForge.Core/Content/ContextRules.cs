namespace TagForge.Content;

/// <summary>Which builder's rules select the files of a build context: they differ (see docs/monorepo.md).</summary>
public enum ContextRules
{
    /// <summary>The classic builder (<c>docker build</c> without BuildKit): the docker CLI's tar of the context, then the engine drops an ignored Dockerfile and <c>.dockerignore</c>.</summary>
    Classic,

    /// <summary>BuildKit (<c>DOCKER_BUILDKIT=1</c>, buildx, and the builders that share its context rules): <c>&lt;Dockerfile&gt;.dockerignore</c> first, and the file sync's walk.</summary>
    BuildKit,
}
