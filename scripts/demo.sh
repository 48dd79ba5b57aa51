#!/usr/bin/env bash
# The README's first command. On a fresh Debian machine (as root, or with sudo) it installs what it needs
# (git, the Docker engine, Debian's docker-registry), starts dockerd if no engine answers, starts a registry on
# 127.0.0.1 (free port), builds the CLI, makes a temporary git repository holding scripts/sample-app (FROM scratch),
# runs `tagforge release` against the registry, prints the record, and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tagforge-demo.XXXXXX")
# shellcheck source=lib/services.sh
. "$root/scripts/lib/services.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

image=""
cleanup() {
  # The refused build of step 7 stays local (a failed release never removes anything): remove it here.
  [ -n "$image" ] && docker image ls --format '{{.Repository}}:{{.Tag}}' "$image" | xargs -r docker rmi >/dev/null 2>&1 || true
  stop_started
  rm -rf "$work"
}
trap cleanup EXIT

# 1. What the demo needs, installed only when missing.
need=()
command -v git >/dev/null || need+=(git)
command -v docker >/dev/null && command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  as_root apt-get update -qq >"$work/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$work/apt.log" 2>&1 \
    || { tail -20 "$work/apt.log" >&2; exit 1; }
fi
command -v dotnet >/dev/null || { echo "demo.sh: the .NET 10 SDK is needed to build TagForge (https://dot.net)" >&2; exit 1; }

# 2. The Docker engine.
docker info >/dev/null 2>&1 || { say "starting dockerd"; start_engine "$work"; }

# 3. A registry on 127.0.0.1 (docker speaks plain http to loopback registries without configuration).
start_registry "$work/registry"
say "registry on $registry_address"

# 4. TagForge.
say "building tagforge"
dotnet build "$root/src/TagForge.Cli" -c Release --nologo -v quiet -o "$work/bin" >"$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log" >&2; exit 1; }
tagforge="$work/bin/tagforge"

# 5. A sample app in its own git repository (the tag names its commit).
cp -r "$root/scripts/sample-app" "$work/app"
printf 'tagforge.json\n' >"$work/app/.gitignore" # the record is an output: it must not make the tree dirty
git -C "$work/app" init -q -b main
git -C "$work/app" -c user.email=demo@tagforge.invalid -c user.name=demo add -A
git -C "$work/app" -c user.email=demo@tagforge.invalid -c user.name=demo commit -q -m "sample app"

# 6. The release: unique tag, build, push (never overwriting), digest confirmed, record written.
image="$registry_address/demo/hello"
say "tagforge release --image $image --rm-local"
(cd "$work/app" && "$tagforge" release --image "$image" --rm-local)

say "the record (tagforge.json), what a deploy step reads"
cat "$work/app/tagforge.json"

say "a deploy step: tagforge record get --image $image"
(cd "$work/app" && "$tagforge" record get --image "$image")

# 7. A rerun of the same build (a CI retry keeps the commit and the build number, so a deterministic tag repeats)
# succeeds without pushing; another commit under the same tag is refused.
tag=$(cd "$work/app" && "$tagforge" record get --image "$image" --field tag)
say "rerunning the same build under the same tag succeeds: nothing is pushed, the registry's digest is recorded"
(cd "$work/app" && "$tagforge" release --image "$image" --template "$tag" --rm-local)

say "another commit released under the same tag is refused (exit 3)"
echo "changed" >>"$work/app/VERSION"
git -C "$work/app" -c user.email=demo@tagforge.invalid -c user.name=demo commit -q -am "another commit"
set +e
(cd "$work/app" && "$tagforge" release --image "$image" --template "$tag" --no-record --rm-local 2>&1 | grep '^tagforge: error')
echo "exit code: ${PIPESTATUS[0]}"
