using TagForge.Testing;

namespace TagForge.IO;

/// <summary>
/// The tree lock of concurrent rewrites, asked without waiting (<see cref="TreeLock.TryAcquire"/>) while another
/// holds one: the same tree and nested trees conflict, separate trees do not. Needs Linux (<c>flock</c>).
/// </summary>
public sealed class TreeLockTests
{
    [Fact]
    public void A_held_tree_refuses_itself_and_the_trees_around_it_but_not_its_siblings()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "flock on Linux");
        using var directory = new TempDirectory("lock");
        var tree = Directory.CreateDirectory(directory.Combine("k8s", "app")).FullName;
        var sibling = Directory.CreateDirectory(directory.Combine("k8s", "db")).FullName;
        var inside = Directory.CreateDirectory(directory.Combine("k8s", "app", "overlays")).FullName;

        using (TreeLock.Acquire(tree))
        {
            Assert.Null(TreeLock.TryAcquire(tree));
            Assert.Null(TreeLock.TryAcquire(directory.Combine("k8s")));
            Assert.Null(TreeLock.TryAcquire(inside));
            using var other = TreeLock.TryAcquire(sibling);
            Assert.NotNull(other);
        }

        using var again = TreeLock.TryAcquire(directory.Combine("k8s"));
        Assert.NotNull(again);
    }

    [Fact]
    public void The_root_of_files_is_their_deepest_common_directory()
    {
        var root = Path.GetPathRoot(Path.GetTempPath())!;
        string[] files = [Path.Combine(root, "a", "k8s", "app", "x.yaml"), Path.Combine(root, "a", "k8s", "db", "y.yaml"), Path.Combine(root, "a", "k8s", "z.yaml")];

        Assert.Equal(Path.Combine(root, "a", "k8s"), TreeLock.RootOf(files));
        Assert.Equal(Path.Combine(root, "a", "k8s", "app"), TreeLock.RootOf(files.Take(1)));
        Assert.Equal(Path.Combine(root, "a", "k8s"), TreeLock.RootOf([Path.Combine(root, "a", "k8s", "app", "x.yaml"), Path.Combine(root, "a", "k8s", "apple", "y.yaml")]));
        Assert.Equal(root, TreeLock.RootOf([Path.Combine(root, "a", "x.yaml"), Path.Combine(root, "b", "y.yaml")]));
        Assert.Null(TreeLock.RootOf([]));
    }
}
