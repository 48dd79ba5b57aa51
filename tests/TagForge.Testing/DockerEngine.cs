namespace TagForge.Testing;

/// <summary>
/// The xUnit collection of every test class that builds, pushes or removes images with the real Docker engine.
/// They run one at a time: the classic builder's cache probe lists every parentless image and fails with
/// "unable to find image" when another test removes one meanwhile (a daemon race, not a TagForge one), and
/// FROM-scratch test images are all parentless. scripts/test.sh also runs the test assemblies one after the other.
/// </summary>
public static class DockerEngine
{
    public const string CollectionName = "docker engine";
}
