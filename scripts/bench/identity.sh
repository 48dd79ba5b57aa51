#!/usr/bin/env bash
# The content identity of a large context against the cost of reading it, in the same run:
#   baseline: `tar -c CONTEXT | sha256sum` (every byte the builder would be sent, read and hashed once)
#   (a) the identity of a 10,000-file, ~200 MB context whose build output (dist/, ~150 MB) git ignores: every byte of
#       dist/ is read; the tracked sources come from git's stat cache           (issue 20: <= 1.0x the baseline)
#   (b) the same context, all tracked and clean: git's blob ids, one stat per file   (issue 20: <= 0.2x the baseline)
#   (c) (b) with a .dockerignore whose patterns both builders provably apply alike (no `!`, ...): one walk
#   (d) (b) with a .dockerignore with a `!` exception: the classic builder's selection is walked too and compared
# Both are timed in one process after a warm-up (page cache warm for all three; no process start-up counted), the
# median of RUNS runs each. Needs: dotnet, git, tar, sha256sum.
# Usage: scripts/bench/identity.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "identity.sh: writing the context (9,000 sources of 5 KB, 1,000 build outputs of 150 KB)" >&2
ctx="$work/repo/app"
mkdir -p "$ctx"
python3 - "$ctx" <<'PY'
import os, sys
root = sys.argv[1]
for i in range(9000):
    d = os.path.join(root, "src", f"m{i % 90:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i}.c"), "wb") as f:
        f.write(os.urandom(2560).hex().encode())
for i in range(1000):
    d = os.path.join(root, "dist", f"chunk{i % 10}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"out{i}.bin"), "wb") as f:
        f.write(os.urandom(150 * 1024))
with open(os.path.join(root, "Dockerfile"), "w") as f:
    f.write("FROM scratch\nCOPY . /app/\n")
PY
git -C "$work/repo" init -q
printf 'dist/\n' > "$work/repo/.gitignore"
git -C "$work/repo" add -A
git -C "$work/repo" -c user.email=b@b -c user.name=b commit -qm sources
echo "identity.sh: $(find "$ctx" -type f | wc -l) files, $(du -sm "$ctx" | cut -f1) MB" >&2

mkdir -p "$work/host"
cat > "$work/host/host.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><TieredPGO>true</TieredPGO></PropertyGroup>
  <ItemGroup><ProjectReference Include="$root/src/TagForge.Core/TagForge.Core.csproj" /></ItemGroup>
</Project>
XML
cat > "$work/host/Program.cs" <<'CS'
using System.Diagnostics;
using TagForge.Content;

var context = args[0];
var runs = int.Parse(args[1]);
double Median(Func<double> run)
{
    run(); // warm-up: page cache, JIT
    var times = Enumerable.Range(0, runs).Select(_ => run()).OrderBy(t => t).ToList();
    return times[runs / 2];
}

double Baseline()
{
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"tar -c -C '{context}' . | sha256sum"]) { RedirectStandardOutput = true })!;
    process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return watch.Elapsed.TotalMilliseconds;
}

double Identity()
{
    var watch = Stopwatch.StartNew();
    using var snapshot = ContentSnapshot.TryOpen(context);
    // What a release computes: the identity for either builder (a second selection only when an ignore file exists).
    ContentHasher.IdentifyForEitherBuilder(new ContentInput { ContextPath = context, Platform = "linux/amd64" }, snapshot);
    return watch.Elapsed.TotalMilliseconds;
}

Console.WriteLine($"{Median(Baseline):F0} {Median(Identity):F0}");
CS
dotnet build "$work/host" -c Release -o "$work/host/out" --nologo -v quiet >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }

echo "identity.sh: load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
read -r base_a ignored < <("$work/host/out/host" "$ctx" "$runs")
# Commits the tree as it is, lets the index settle, and measures: "BASELINE IDENTITY".
committed() {
  git -C "$work/repo" add -A
  git -C "$work/repo" -c user.email=b@b -c user.name=b commit -qm "$1"
  sleep 1 # let the index be newer than every file by more than its timestamp granularity (no racily clean entries)
  git -C "$work/repo" update-index --refresh >/dev/null
  "$work/host/out/host" "$ctx" "$runs"
}
# (b): the build output committed too, so every file is tracked and clean.
: > "$work/repo/.gitignore"
read -r base_b clean < <(committed output)
# (c): the same with a .dockerignore both builders apply alike, so one walk serves both.
printf '*.md\n**/*.tmp\n' > "$ctx/.dockerignore"
read -r base_c ignorefile < <(committed ignore)
# (d): an exception, so the builders' selections may differ: both are walked and compared.
printf '*.md\n**/*.tmp\n!keep.md\n' > "$ctx/.dockerignore"
read -r base_d exception < <(committed exception)
echo "identity.sh: load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '| context | tar -c \\| sha256sum | identity | ratio | goal |\n|---|---|---|---|---|\n'
printf '| (a) 10,000 files, %s MB, build output git ignores | %s ms | %s ms | %sx | <= 1.0x |\n' "$(du -sm "$ctx" | cut -f1)" "$base_a" "$ignored" "$(ratio "$ignored" "$base_a")"
printf '| (b) the same, all tracked and clean | %s ms | %s ms | %sx | <= 0.2x |\n' "$base_b" "$clean" "$(ratio "$clean" "$base_b")"
printf '| (c) (b) with a .dockerignore both builders apply alike (one walk) | %s ms | %s ms | %sx | <= 0.2x |\n' "$base_c" "$ignorefile" "$(ratio "$ignorefile" "$base_c")"
printf '| (d) (b) with a .dockerignore with a ! exception (both selections walked) | %s ms | %s ms | %sx | - |\n' "$base_d" "$exception" "$(ratio "$exception" "$base_d")"
