using TagForge.IO;
using TagForge.Services;

namespace TagForge.Testing.Ecr;

/// <summary>Services whose environment holds only the fake ECR's test key and endpoint (AWS_ENDPOINT_URL_ECR), sandboxed in a temp home.</summary>
public static class FakeEcrServices
{
    public static TagForgeServices Create(FakeEcr ecr, TempDirectory home, params (string Name, string Value)[] extra)
    {
        var variables = ecr.ClientEnvironment(home)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value!);
        variables["AWS_ENDPOINT_URL_ECR"] = ecr.EndpointUrl;
        variables["DOCKER_CONFIG"] = home.Combine("docker");
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return new TagForgeServices(new DictionaryEnvironment(variables), workingDirectory: home.Path);
    }
}
