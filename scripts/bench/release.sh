#!/usr/bin/env bash
# Benchmark: `tagforge release` against the raw `docker build && docker push` it replaces, on the same warm engine
# and the same local registry, in one hyperfine run. A --prepare step writes a new file into the build context
# before every run, so each run builds a new layer and pushes a new image (no run is a cache hit), as a CI release
# does. Both sides get unique tags and remove the local image afterwards (the article's docker rmi).
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
# Usage: scripts/bench/release.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
runs=${1:-15}
work=$(mktemp -d "${TMPDIR:-/tmp}/tagforge-bench.XXXXXX")
registry_pid=""
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null || true
  docker image ls --format '{{.Repository}}:{{.Tag}}' | grep "^127.0.0.1:$port/bench/" | xargs -r docker rmi >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v hyperfine >/dev/null || { echo "release.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "release.sh: no Docker engine answers (start dockerd, or run scripts/demo.sh once)" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done

echo "release.sh: building tagforge (${TAGFORGE_BENCH_BUILD:-aot})" >&2
if [ "${TAGFORGE_BENCH_BUILD:-aot}" = aot ]; then
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

hyperfine --warmup 2 --runs "$runs" --prepare "$prepare" --export-markdown "$work/results.md" \
  --command-name "docker build && docker push" "$raw" \
  --command-name "tagforge release" "$tagforge" \
  --command-name "tagforge release --no-labels" "$tagforge --no-labels"
cat "$work/results.md"
