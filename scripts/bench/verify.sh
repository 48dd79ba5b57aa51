#!/usr/bin/env bash
# Benchmark: `tagforge verify` of 1,000 distinct pinned digests against a local registry (Debian's docker-registry)
# vs a sequential `curl -I` loop over the same references.
#
#   scripts/bench/verify.sh
#   TAGFORGE=/path/to/tagforge DIGESTS=1000 RUNS=5 scripts/bench/verify.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

DIGESTS=${DIGESTS:-1000}
RUNS=${RUNS:-5}
REGISTRY_BIN=${TAGFORGE_TEST_REGISTRY_BIN:-/usr/bin/docker-registry}
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/tagforge-bench-verify.XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HOST=127.0.0.1:$PORT
REGISTRY_PID=
cleanup() { [[ -n "$REGISTRY_PID" ]] && kill "$REGISTRY_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

if [[ -z "${TAGFORGE:-}" ]]; then
  echo "publishing tagforge (Native AOT) into $WORK/bin ..." >&2
  if ! dotnet publish src/TagForge.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/bin" >"$WORK/publish.log" 2>&1; then
    echo "Native AOT publish failed; using the Release JIT build" >&2
    dotnet publish src/TagForge.Cli -c Release -o "$WORK/bin" >"$WORK/publish.log" 2>&1
  fi
  TAGFORGE="$WORK/bin/tagforge"
fi

cat >"$WORK/config.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/storage}}
http: {addr: $HOST}
YAML
"$REGISTRY_BIN" serve "$WORK/config.yml" >"$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 50); do curl -sf "http://$HOST/v2/" >/dev/null && break; sleep 0.1; done

# One config blob, then DIGESTS manifests that differ only in an annotation: DIGESTS distinct digests.
CONFIG='{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}'
CONFIG_DIGEST=sha256:$(printf '%s' "$CONFIG" | sha256sum | cut -d' ' -f1)
LOCATION=$(curl -sf -X POST -D - -o /dev/null "http://$HOST/v2/bench/app/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
[[ "$LOCATION" == http* ]] || LOCATION="http://$HOST$LOCATION"
SEP='?'; [[ "$LOCATION" == *\?* ]] && SEP='&'
curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "$CONFIG" "$LOCATION${SEP}digest=$CONFIG_DIGEST" >/dev/null

mkdir -p "$WORK/deploy" "$WORK/manifests"
echo "pushing $DIGESTS manifests to $HOST ..." >&2
for ((i = 0; i < DIGESTS; i++)); do
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[],"annotations":{"seed":"%d"}}' \
    "$CONFIG_DIGEST" "${#CONFIG}" "$i" >"$WORK/manifests/$i.json"
done
seq 0 $((DIGESTS - 1)) | xargs -P 8 -I{} curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
  --data-binary "@$WORK/manifests/{}.json" "http://$HOST/v2/bench/app/manifests/v{}" -o /dev/null

# 10 manifests of DIGESTS/10 containers each, every image pinned to its own digest.
: >"$WORK/urls"
for ((f = 0; f < 10; f++)); do
  {
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-%d\nspec:\n  containers:\n' "$f"
    for ((i = f; i < DIGESTS; i += 10)); do
      digest=sha256:$(sha256sum <"$WORK/manifests/$i.json" | cut -d' ' -f1)
      printf '  - name: c%d\n    image: %s/bench/app:v%d@%s\n' "$i" "$HOST" "$i" "$digest"
      echo "http://$HOST/v2/bench/app/manifests/$digest" >>"$WORK/urls"
    done
  } >"$WORK/deploy/pod-$f.yaml"
done

"$TAGFORGE" verify "$WORK/deploy" >/dev/null  # fails the script if anything is missing
cat >"$WORK/curl-loop.sh" <<SH
while read -r url; do
  curl -sfI -o /dev/null -H 'Accept: application/vnd.oci.image.manifest.v1+json' "\$url" || exit 1
done <"$WORK/urls"
SH

echo "tagforge: $TAGFORGE ($(file -b "$TAGFORGE" | cut -d, -f1)); $DIGESTS distinct digests; $(nproc) cores" >&2
hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$WORK/verify.md" \
  -n "curl -I loop" "bash '$WORK/curl-loop.sh'" \
  -n "tagforge verify" "'$TAGFORGE' verify '$WORK/deploy' >/dev/null 2>&1"
cat "$WORK/verify.md"
