#!/usr/bin/env bash
# Monorepo releases: a repository of 20 small FROM-scratch images of which one changed per run.
#   tagforge release --all --skip-unchanged   (content tags: the 19 unchanged images are asked for, not built)
#   (a) a bash loop of 20 `docker build && docker push`
#   (b) only the changed image by hand: one `docker build && docker push`
# Then `tagforge plan` of the 20 images with nothing changed (target: <= 100 ms).
# Before every run one image's file changes and is committed, so each run has exactly one changed image.
# Then the merge of two platforms: `tagforge record merge --push-index` of two partial records (the index is
# deleted from the registry before each run so each run pushes it), against the two platform pushes themselves.
# Needs: dotnet, docker (and /usr/bin/docker 20.10 for BuildKit platforms), docker-registry, hyperfine, git, curl.
# TAGFORGE_BENCH_BUILD=jit uses the JIT build instead of Native AOT; TAGFORGE_BENCH_BIN=DIR uses a tagforge built already.
# Usage: scripts/bench/monorepo.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
work=$(mktemp -d)
# shellcheck source=../lib/services.sh
. "$root/scripts/lib/services.sh"
cleanup() {
  stop_started 2>/dev/null || true
  docker image ls --format '{{.Repository}}:{{.Tag}}' | grep "^127.0.0.1:${port:-0}/" | xargs -r docker rmi >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

docker info >/dev/null 2>&1 || { echo "monorepo.sh: no Docker engine answers" >&2; exit 1; }
start_registry "$work/registry" >/dev/null
port=${registry_address##*:}
registry="127.0.0.1:$port"

echo "monorepo.sh: building tagforge (${TAGFORGE_BENCH_BUILD:-aot})" >&2
if [ -n "${TAGFORGE_BENCH_BIN:-}" ]; then
  cp -r "$TAGFORGE_BENCH_BIN" "$work/bin"
elif [ "${TAGFORGE_BENCH_BUILD:-aot}" = aot ]; then
  linker=$(command -v clang >/dev/null && echo clang || echo gcc)
  dotnet publish "$root/src/TagForge.Cli" -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker="$linker" \
    --nologo -v quiet -o "$work/bin" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
else
  dotnet build "$root/src/TagForge.Cli" -c Release --nologo -v quiet -o "$work/bin" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
fi
tf="$work/bin/tagforge"

repo="$work/repo"
mkdir -p "$repo"
{
  echo "image: $registry/mono"
  echo 'template: "{sha:8}-{build}"'
  echo "images:"
} >"$repo/tagforge.yml"
for i in $(seq -w 1 20); do
  mkdir -p "$repo/img$i"
  printf 'FROM scratch\nCOPY f.txt /f.txt\n' >"$repo/img$i/Dockerfile"
  echo "image $i $RANDOM" >"$repo/img$i/f.txt"
  printf '  - name: img%s\n    context: img%s\n' "$i" "$i" >>"$repo/tagforge.yml"
done
printf 'tagforge.json\n.tagforge.json.lock\nparts/\n' >"$repo/.gitignore"
git -C "$repo" init -q -b main
git -C "$repo" -c user.email=b@tagforge.invalid -c user.name=bench add -A
git -C "$repo" -c user.email=b@tagforge.invalid -c user.name=bench commit -q -m bench
echo "monorepo.sh: first release of the 20 images (not timed)" >&2
(cd "$repo" && "$tf" release --all --skip-unchanged --no-labels >/dev/null 2>"$work/first.log") || { tail -20 "$work/first.log" >&2; exit 1; }

change="cd $repo && date +%s%N > img07/f.txt && git -c user.email=b@tagforge.invalid -c user.name=bench commit -qam change"
loop="cd $repo && for d in img*; do docker build -q -t $registry/loop/\$d:\$(git rev-parse --short HEAD) \$d >/dev/null && docker push -q $registry/loop/\$d:\$(git rev-parse --short HEAD) >/dev/null || exit 1; done"
one="cd $repo && docker build -q -t $registry/hand/img07:\$(git rev-parse --short HEAD) img07 >/dev/null && docker push -q $registry/hand/img07:\$(git rev-parse --short HEAD) >/dev/null"
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/monorepo.md" \
  --prepare "$change" \
  -n "tagforge release --all --skip-unchanged" "cd $repo && $tf release --all --skip-unchanged --no-labels >/dev/null 2>&1" \
  -n "(b) only the changed image by hand" "$one" \
  -n "(a) bash loop of 20 build && push" "$loop"
cat "$work/monorepo.md"

echo "monorepo.sh: tagforge plan of the 20 images (identities, tags, one parallel round of HEADs; nothing changed)" >&2
hyperfine --warmup 2 --runs "$((runs * 4))" --export-markdown "$work/plan.md" \
  -n "tagforge plan --all --skip-unchanged (20 images)" "cd $repo && $tf plan -o $work/plan-all.json --all --skip-unchanged >/dev/null 2>&1" \
  -n "tagforge --version (start-up floor)" "$tf --version >/dev/null"
cat "$work/plan.md"

echo "monorepo.sh: two platforms, merged into an index" >&2
export TAGFORGE_DOCKER=/usr/bin/docker DOCKER_BUILDKIT=1
(cd "$repo" && "$tf" plan -o plan.json --only img01 --platform linux/amd64,linux/arm64 -t '{sha:8}-idx' >/dev/null 2>&1)
for p in amd64 arm64; do
  (cd "$repo" && "$tf" release --plan plan.json --image img01 --platform "linux/$p" --record "parts/img01-$p.json" --no-labels >/dev/null 2>"$work/$p.log") || { tail "$work/$p.log" >&2; exit 1; }
done
(cd "$repo" && "$tf" record merge parts/img01-amd64.json parts/img01-arm64.json -o merged.json --push-index --plan plan.json >/dev/null 2>&1)
index=$(python3 -c "import json;print(json.load(open('$repo/merged.json'))['images'][0]['digest'])")
delete="curl -sf -X DELETE http://$registry/v2/mono/img01/manifests/$index >/dev/null"
platform="cd $repo && $tf release --plan plan.json --image img01 --platform linux/arm64 --record parts/again.json --no-labels >/dev/null 2>&1"
hyperfine --warmup 1 --runs "$((runs * 2))" --export-markdown "$work/index.md" \
  -n "tagforge record merge --push-index (2 platforms)" --prepare "$delete" "cd $repo && $tf record merge parts/img01-amd64.json parts/img01-arm64.json -o merged.json --push-index --plan plan.json >/dev/null 2>&1" \
  -n "one platform job (build + push, for scale)" --prepare "true" "$platform"
cat "$work/index.md"
