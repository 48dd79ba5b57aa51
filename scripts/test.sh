#!/usr/bin/env bash
# The README's test command. On a fresh Debian machine it installs what the tests need (git, the Docker engine,
# Debian's docker-registry, htpasswd, busybox-static, the AWS CLI), starts dockerd when no engine answers,
# starts a registry bound to 127.0.0.1 on a free port, runs every test, stops what it started, and ends with
# one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# A folder per run: two runs at once must not write into one log.
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/tagforge-test-run.XXXXXX")
# shellcheck source=lib/services.sh
. "$root/scripts/lib/services.sh"

say() { printf 'test.sh: %s\n' "$*" >&2; }
trap stop_started EXIT

# 1. Packages. Each is installed only when its command is missing.
need=()
command -v git >/dev/null || need+=(git)
[ -x /usr/bin/docker ] && command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
# Statically linked: it runs inside FROM scratch test images (Debian's plain busybox package does not).
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
[ -x /usr/bin/aws ] || need+=(awscli)
command -v python3 >/dev/null || need+=(python3)
# The builder tests run podman and buildah (daemonless, vfs storage).
command -v podman >/dev/null || need+=(podman)
command -v buildah >/dev/null || need+=(buildah)
# The promote tests compare with skopeo copy --all (non-distributable layers).
command -v skopeo >/dev/null || need+=(skopeo)
# The file tests compare the ACLs TagForge keeps with sed's (setfacl, getfacl).
command -v setfacl >/dev/null || need+=(acl)
# The integration tests run npm tools (@action-validator/cli; npm-groovy-lint, which runs on Java 17).
command -v npm >/dev/null || need+=(npm)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  as_root apt-get update -qq >"$log_dir/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$log_dir/apt.log" 2>&1 \
    || { say "apt-get install failed; see $log_dir/apt.log"; tail -20 "$log_dir/apt.log" >&2; exit 1; }
fi

# 2. The Docker engine.
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd"
  start_engine "$log_dir" || exit 1
fi

# 3. A shared registry on 127.0.0.1 (tests that need special auth start their own).
start_registry "$log_dir/registry" || exit 1
export TAGFORGE_TEST_REGISTRY="$registry_address"
say "docker $(docker version --format '{{.Server.Version}}'), registry on $TAGFORGE_TEST_REGISTRY"

# 4. Every test.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# One test assembly at a time: both drive the one Docker engine (see tests/TagForge.Testing/DockerEngine.cs).
dotnet test TagForge.sln --max-parallel-test-modules 1 "$@" 2>&1 | tee "$log_dir/dotnet-test.log"
status=${PIPESTATUS[0]}

total=$(grep -aE '^\s*total:' "$log_dir/dotnet-test.log" | tail -1 | grep -oE '[0-9]+')
failed=$(grep -aE '^\s*failed:' "$log_dir/dotnet-test.log" | tail -1 | grep -oE '[0-9]+')
succeeded=$(grep -aE '^\s*succeeded:' "$log_dir/dotnet-test.log" | tail -1 | grep -oE '[0-9]+')
if [ -z "$total" ]; then
  say "no test summary found (build failed?)"
  echo "0 passed, 1 failed"
  exit 1
fi
[ "$status" -ne 0 ] && [ "${failed:-0}" = 0 ] && failed=1
echo "${succeeded:-0} passed, ${failed:-0} failed"
exit "$status"
