namespace TagForge.Ecr;

public sealed class EcrRepositoriesTests
{
    [Fact]
    public void A_MUTABLE_repository_gets_a_warning_and_an_IMMUTABLE_one_none()
    {
        var mutable = new EcrRepository("app", null, null, null, "MUTABLE", null);
        var immutable = mutable with { ImageTagMutability = "IMMUTABLE" };

        Assert.Contains("has MUTABLE tags", EcrRepositories.MutabilityWarning(mutable, "r.example"), StringComparison.Ordinal);
        Assert.Null(EcrRepositories.MutabilityWarning(immutable, "r.example"));
    }
}
