#!/usr/bin/env bash
# Builds TagForge from this checkout and installs it.
#   scripts/install.sh [--prefix DIR] [--aot | --tool]
#   --aot  (default on linux-x64) the Native AOT binary: DIR/lib/tagforge/{tagforge,libgit2-*.so}, linked as DIR/bin/tagforge
#          (needs clang and zlib1g-dev beside the .NET SDK, as any Native AOT publish does)
#   --tool the dotnet tool package, installed with `dotnet tool install --tool-path DIR/bin` (needs only the .NET SDK)
# DIR defaults to ~/.local. DIR/bin must be on PATH for `tagforge` to be found: the last lines say so, and how.
# The version is the one TagForge computes from git. No root needed for a prefix you own.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
prefix="$HOME/.local"
mode=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --aot) mode=aot; shift ;;
    --tool) mode=tool; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$mode" ]; then
  if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then mode=aot; else mode=tool; fi
fi
mkdir -p "$prefix/bin"
prefix=$(cd "$prefix" && pwd)
artifacts=$(mktemp -d "${TMPDIR:-/tmp}/tagforge-install.XXXXXX")
trap 'rm -rf "$artifacts"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

case "$mode" in
  aot)
    dotnet run --project "$root/build/Build.csproj" -- --target PublishAot --artifacts "$artifacts" >&2
    rm -rf "$prefix/lib/tagforge"
    mkdir -p "$prefix/lib/tagforge"
    # The binary and LibGit2Sharp's native library must stay side by side.
    cp "$artifacts/aot/tagforge" "$artifacts"/aot/libgit2-*.so "$prefix/lib/tagforge/"
    ln -sfn "$prefix/lib/tagforge/tagforge" "$prefix/bin/tagforge"
    ;;
  tool)
    dotnet run --project "$root/build/Build.csproj" -- --target Pack --artifacts "$artifacts" >&2
    version=$(basename "$(ls "$artifacts"/packages/TagForge.[0-9]*.nupkg)" .nupkg)
    version=${version#TagForge.}
    dotnet tool uninstall TagForge --tool-path "$prefix/bin" >/dev/null 2>&1 || true
    dotnet tool install TagForge --tool-path "$prefix/bin" --add-source "$artifacts/packages" --version "$version" >&2
    ;;
esac
echo "installed tagforge $("$prefix/bin/tagforge" --version) at $prefix/bin/tagforge" >&2
case ":$PATH:" in
  *":$prefix/bin:"*) echo "$prefix/bin is on PATH: run tagforge --help" >&2 ;;
  *)
    echo "$prefix/bin is NOT on PATH yet: tagforge will not be found until it is. Add it (and to your shell's profile):" >&2
    echo "  export PATH=\"$prefix/bin:\$PATH\"" >&2
    ;;
esac
