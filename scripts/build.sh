#!/usr/bin/env bash
# TagForge's build (build/Build.csproj): ./scripts/build.sh [--target Compile|Test|Pack|PublishAot|Release ...] [--list]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project build/Build.csproj -- "$@"
