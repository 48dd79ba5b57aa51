#!/usr/bin/env bash
# ECR login latency: tagforge (Native AOT and JIT) vs the AWS CLI, against the fake ECR of the tests (SigV4
# verification included) and its real registry. Needs: dotnet, docker-registry, htpasswd, hyperfine, /usr/bin/aws.
# Usage: scripts/bench/ecr.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-15}
work=$(mktemp -d)
cleanup() {
  if [ -n "${host_pid:-}" ]; then kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building tagforge (Native AOT and JIT Release) and a fake-ECR host..." >&2
dotnet publish "$root/src/TagForge.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" >/dev/null
dotnet publish "$root/src/TagForge.Cli" -c Release -o "$work/jit" >/dev/null
mkdir -p "$work/host"
cat > "$work/host/host.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><ProjectReference Include="$root/tests/TagForge.Testing/TagForge.Testing.csproj" /></ItemGroup>
</Project>
XML
cat > "$work/host/Program.cs" <<'CS'
using var stop = new CancellationTokenSource();
// SIGTERM from the script's trap: dispose the fake so its docker-registry child stops too.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
await using var ecr = await TagForge.Testing.Ecr.FakeEcr.StartAsync();
ecr.AddRepository("app");
Console.WriteLine(ecr.EndpointUrl);
try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
CS
dotnet build "$work/host" -o "$work/host/out" >/dev/null
"$work/host/out/host" > "$work/endpoint" &
host_pid=$!
for _ in $(seq 50); do [ -s "$work/endpoint" ] && break; sleep 0.2; done
endpoint=$(head -1 "$work/endpoint")

export AWS_ACCESS_KEY_ID=AKIAFAKEECR0TESTKEY1 AWS_SECRET_ACCESS_KEY='fake/Secret+Key/For/TagForge/Tests/0123456'
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
hyperfine -N --warmup 2 --runs "$runs" \
  "$work/aot/tagforge ecr login --print-password --endpoint-url $endpoint" \
  "$work/jit/tagforge ecr login --print-password --endpoint-url $endpoint" \
  "/usr/bin/aws ecr get-login-password --endpoint-url $endpoint" \
  "$work/aot/tagforge ecr ensure-repo app --endpoint-url $endpoint"
