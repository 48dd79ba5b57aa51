#!/usr/bin/env bash
# Benchmark: `tagforge release` against the raw `docker build && docker push` it replaces, on the same warm engine
# and the same local registry, in one run. Before every run a new file is written into the build context, so each
# run builds a new layer and pushes a new image (no run is a cache hit), as a CI release does. Both sides get unique
# tags and remove the local image afterwards (the article's docker rmi). The commands take turns (raw, tagforge,
# tagforge --no-labels, raw, ...) rather than running one after the other as hyperfine does: on a shared machine
# the load drifts over a minute, and back-to-back blocks measured that drift (a 1.48x "overhead" that interleaved
# runs of the same binaries did not show).
#
# TagForge is measured as it ships best: Native AOT (TAGFORGE_BENCH_BUILD=aot, the default; needs gcc or clang) or
# the JIT build (TAGFORGE_BENCH_BUILD=jit). TAGFORGE_BENCH_DOCKER picks the docker CLI for both sides (default
# docker: the classic builder) and TAGFORGE_BENCH_BUILDKIT=1 sets DOCKER_BUILDKIT=1 (e.g. with
# TAGFORGE_BENCH_DOCKER=/usr/bin/docker, a 20.10 client). A third command, `tagforge release --no-labels`, separates
# TagForge's own overhead from the cost of the OCI labels.
#
# TAGFORGE_BENCH_PAYLOAD_MB=N adds N MB of fresh random data to every run's new layer (a realistic image size;
# default 0: the smallest possible image, where TagForge's fixed cost weighs most).
#
# TAGFORGE_BENCH_BUILDER=podman|buildah|dotnet compares `tagforge release --builder X` with the same builder's raw
# build + push instead (podman and buildah with the vfs storage driver, as root; dotnet: `dotnet publish
# -t:PublishContainer` of a console app onto a FROM-scratch base pushed to the registry first, with Program.cs changed
# per run so both sides compile and push a new image). Only these two commands take turns then.
#
# TAGFORGE_BENCH_BIN=DIR measures the tagforge binary in DIR instead of building one.
#
# Usage: scripts/bench/release.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
runs=${1:-15}
work=$(mktemp -d "${TMPDIR:-/tmp}/tagforge-bench.XXXXXX")
port=""
# shellcheck source=../lib/services.sh
. "$root/scripts/lib/services.sh"
cleanup() {
  stop_started
  docker image ls --format '{{.Repository}}:{{.Tag}}' | grep "^127.0.0.1:$port/bench/" | xargs -r docker rmi >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

docker info >/dev/null 2>&1 || { echo "release.sh: no Docker engine answers (start dockerd, or run scripts/demo.sh once)" >&2; exit 1; }

start_registry "$work/registry" >/dev/null
port=${registry_address##*:}

echo "release.sh: building tagforge (${TAGFORGE_BENCH_BUILD:-aot})" >&2
if [ -n "${TAGFORGE_BENCH_BIN:-}" ]; then
  # A tagforge built earlier (a folder holding the binary), to measure several builders without rebuilding.
  cp -r "$TAGFORGE_BENCH_BIN" "$work/bin"
elif [ "${TAGFORGE_BENCH_BUILD:-aot}" = aot ]; then
  linker=$(command -v clang >/dev/null && echo clang || echo gcc)
  dotnet publish "$root/src/TagForge.Cli" -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker="$linker" \
    --nologo -v quiet -o "$work/bin" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
else
  dotnet build "$root/src/TagForge.Cli" -c Release --nologo -v quiet -o "$work/bin" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
fi

# The context: the sample app in a git repository; stamp.txt is untracked (the tree stays clean) and changes per run.
cp -r "$root/scripts/sample-app" "$work/app"
printf 'COPY stamp.txt payload.bin /srv/\n' >>"$work/app/Dockerfile"
git -C "$work/app" init -q -b main
git -C "$work/app" -c user.email=b@tagforge.invalid -c user.name=bench add -A
git -C "$work/app" -c user.email=b@tagforge.invalid -c user.name=bench commit -q -m bench
: >"$work/app/payload.bin" # untracked, like stamp.txt
prepare="date +%s%N > $work/app/stamp.txt"
payload_mb=${TAGFORGE_BENCH_PAYLOAD_MB:-0}
if [ "$payload_mb" -gt 0 ]; then prepare="$prepare && head -c ${payload_mb}M /dev/urandom > $work/app/payload.bin"; fi

registry="127.0.0.1:$port"
docker_cli=${TAGFORGE_BENCH_DOCKER:-docker}
if [ "${TAGFORGE_BENCH_BUILDKIT:-}" = 1 ]; then export DOCKER_BUILDKIT=1; else unset DOCKER_BUILDKIT; fi
# Unique tags per run for both sides: the raw side uses the stamp, TagForge a millisecond time template.
raw="cd $work/app && t=\$(cat stamp.txt) && $docker_cli build -q -t $registry/bench/raw:\$t . && $docker_cli push -q $registry/bench/raw:\$t && $docker_cli rmi -f $registry/bench/raw:\$t"
tagforge="cd $work/app && $work/bin/tagforge release --docker $docker_cli --image $registry/bench/tagforge -t 'b{time:yyyyMMddHHmmssfff}' --record $work/tagforge.json --rm-local"

builder=${TAGFORGE_BENCH_BUILDER:-docker}
case "$builder" in
  docker) baseline_name="docker build && docker push" ;;
  podman|buildah)
    build_verb=$([ "$builder" = buildah ] && echo bud || echo build)
    baseline_name="$builder $build_verb && $builder push"
    raw="cd $work/app && t=\$(cat stamp.txt) && $builder --storage-driver vfs $build_verb -q -t $registry/bench/raw:\$t . >/dev/null && $builder --storage-driver vfs push --tls-verify=false $registry/bench/raw:\$t && $builder --storage-driver vfs rmi $registry/bench/raw:\$t"
    tagforge="cd $work/app && $work/bin/tagforge release --builder $builder --storage-driver vfs --image $registry/bench/tagforge -t 'b{time:yyyyMMddHHmmssfff}' --record $work/tagforge.json --rm-local"
    ;;
  dotnet)
    baseline_name="dotnet publish -t:PublishContainer"
    printf 'FROM scratch\nCOPY stamp.txt /stamp.txt\n' >"$work/base.Dockerfile"
    date >"$work/stamp.txt"
    docker build -q -f "$work/base.Dockerfile" -t "$registry/bench/base:scratch" "$work" >/dev/null && docker push -q "$registry/bench/base:scratch" >/dev/null
    mkdir -p "$work/dn"
    printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><EnableSdkContainerSupport>true</EnableSdkContainerSupport></PropertyGroup></Project>\n' >"$work/dn/dn.csproj"
    printf 'bin/\nobj/\nProgram.cs\n' >"$work/dn/.gitignore"
    git -C "$work/dn" init -q -b main && git -C "$work/dn" add -A && git -C "$work/dn" -c user.email=b@tagforge.invalid -c user.name=bench commit -q -m bench
    prepare="echo \"System.Console.WriteLine(\\\"\$(date +%s%N)\\\");\" > $work/dn/Program.cs"
    raw="cd $work/dn && DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish dn.csproj -t:PublishContainer -p:ContainerRegistry=$registry -p:ContainerRepository=bench/raw -p:ContainerImageTag=r\$(date +%s%N) -p:ContainerBaseImage=$registry/bench/base:scratch"
    tagforge="cd $work/dn && $work/bin/tagforge release --builder dotnet --project dn.csproj --image $registry/bench/tagforge -t 'b{time:yyyyMMddHHmmssfff}' --record $work/tagforge.json -- -p:ContainerBaseImage=$registry/bench/base:scratch"
    ;;
  *) echo "release.sh: TAGFORGE_BENCH_BUILDER is docker, podman, buildah or dotnet" >&2; exit 2 ;;
esac

python3 - "$runs" "$prepare" "$raw" "$tagforge" "$builder" "$baseline_name" <<'PY'
import statistics, subprocess, sys, time
runs, prepare, raw, tagforge, builder, baseline_name = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
commands = [(baseline_name, raw), ("tagforge release", tagforge), ("tagforge release --no-labels", tagforge + " --no-labels")]
if builder != "docker":
    commands = [(baseline_name, raw), (f"tagforge release --builder {builder}", tagforge)]
times = {name: [] for name, _ in commands}
for round in range(runs + 2):  # two warm-up rounds, not counted
    for name, command in commands:
        subprocess.run(prepare, shell=True, check=True)
        start = time.perf_counter()
        subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if round >= 2:
            times[name].append((time.perf_counter() - start) * 1000)
baseline = statistics.median(times[commands[0][0]])
print(f"{runs} interleaved runs each")
print("| Command | Median [ms] | Mean ± σ [ms] | Min [ms] | Median vs baseline |")
print("|:---|---:|---:|---:|---:|")
for name, _ in commands:
    t = times[name]
    print(f"| `{name}` | {statistics.median(t):.0f} | {statistics.mean(t):.0f} ± {statistics.stdev(t):.0f} | {min(t):.0f} | {statistics.median(t) / baseline:.2f}x |")
PY
