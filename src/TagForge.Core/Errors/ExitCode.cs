namespace TagForge.Errors;

/// <summary>The process exit codes every TagForge command uses.</summary>
public enum ExitCode
{
    /// <summary>The command did what was asked.</summary>
    Ok = 0,

    /// <summary>Something outside TagForge failed: git, docker, a registry, the network.</summary>
    ExternalFailure = 1,

    /// <summary>The command line, a template, a file or another input is wrong.</summary>
    BadInput = 2,

    /// <summary>TagForge refused on purpose: a tag would be overwritten, a tree is dirty, a reference floats.</summary>
    PolicyRefusal = 3,
}
