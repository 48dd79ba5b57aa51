#!/usr/bin/env bash
# tagforge prune, in one run against one local docker-registry (access log on, to count requests as the registry saw them):
#   1. planning of repositories of 500, 1,000 and 2,000 tags (200 pinned digests, --keep-last 10): linear?
#      Prints the registry requests per tag of one plan of each size.
#   2. --apply of 800 deletions (10 tags kept by a deployment file, by tag) by this tree's tagforge, which re-checks
#      before every round of deletes, against the tagforge of a baseline revision (one DELETE at a time, no re-check),
#      on the same registry: target, no slower.
# Needs: dotnet, docker-registry, hyperfine, python3, git.
# Usage: scripts/bench/prune.sh [runs]
#   TAGFORGE=/path/to/tagforge skips building this tree; TAGFORGE_BASELINE=/path/to/tagforge skips building the
#   baseline, else BASELINE_REV (default: the merge base with main) is built from a git archive of it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${TAGFORGE:-}" ]; then
  echo "building tagforge (Release)..." >&2
  dotnet publish "$root/src/TagForge.Cli" -c Release -o "$work/new" >/dev/null
  TAGFORGE="$work/new/tagforge"
fi
if [ -z "${TAGFORGE_BASELINE:-}" ]; then
  rev=${BASELINE_REV:-$(git -C "$root" merge-base HEAD main)}
  echo "building the baseline tagforge at $rev (Release)..." >&2
  mkdir -p "$work/base-src"
  git -C "$root" archive "$rev" | tar -x -C "$work/base-src"
  dotnet publish "$work/base-src/src/TagForge.Cli" -c Release -o "$work/base" >/dev/null
  TAGFORGE_BASELINE="$work/base/tagforge"
fi
export TAGFORGE TAGFORGE_BASELINE work

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
mkdir -p "$work/registry"
cat > "$work/registry/config.yml" <<YML
version: 0.1
log: { level: error, accesslog: { disabled: false } }
storage: { filesystem: { rootdirectory: $work/registry/storage }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
YML
docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
host="127.0.0.1:$port"
export host
requests() { grep -cE '"(GET|HEAD|PUT|POST|DELETE) /v2/[^ ]+' "$work/registry/log" || true; }

# populate.py HOST REPO COUNT [KEPT]: COUNT tags build-NNNNN (and KEPT tags keep-N), each its own manifest of one
# shared config; the same bytes every time, so re-populating after a prune restores exactly what it deleted.
cat > "$work/populate.py" <<'PY'
import hashlib, http.client, json, sys
host, repo, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
kept = int(sys.argv[4]) if len(sys.argv) > 4 else 0
h, p = host.split(":")
conn = http.client.HTTPConnection(h, int(p))
def req(method, path, body=b"", headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse(); data = r.read()
    if r.status >= 300: raise SystemExit(f"{method} {path}: {r.status} {data[:200]}")
    return r
config = json.dumps({"architecture": "amd64", "os": "linux", "created": "2026-11-01T00:00:00Z", "rootfs": {"type": "layers", "diff_ids": []}, "config": {}}).encode()
cd = "sha256:" + hashlib.sha256(config).hexdigest()
r = req("POST", f"/v2/{repo}/blobs/uploads/")
loc = r.getheader("Location").split(host, 1)[-1]
req("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + cd, config, {"Content-Type": "application/octet-stream"})
digests = []
for name in [f"build-{i:05d}" for i in range(count)] + [f"keep-{i}" for i in range(kept)]:
    m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": len(config)},
                    "layers": [], "annotations": {"n": name}}).encode()
    req("PUT", f"/v2/{repo}/manifests/{name}", m, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    digests.append("sha256:" + hashlib.sha256(m).hexdigest())
print("\n".join(digests))
PY

echo "== 1. prune planning: 200 pinned digests, --keep-last 10, 500 / 1,000 / 2,000 tags (target: seconds, linear)"
for n in 500 1000 2000; do python3 "$work/populate.py" "$host" "plan/app$n" "$n" > "$work/digests$n"; done
{
  printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: pinned\nspec:\n  containers:\n'
  for n in 500 1000 2000; do
    awk -v n="$n" -v host="$host" 'NR % 10 == 1 && NR <= 2000 { printf "  - name: c%s-%d\n    image: %s/plan/app%s@%s\n", n, NR, host, n, $0 }' "$work/digests$n" | head -n 400
  done
} > "$work/pinned.yaml"
for n in 500 1000 2000; do
  before=$(requests)
  "$TAGFORGE" prune "$host/plan/app$n" --keep-pinned "$work/pinned.yaml" --keep-last 10 >/dev/null 2>&1
  after=$(requests)
  python3 -c "import sys; n, r = int(sys.argv[1]), int(sys.argv[2]); print(f'{n} tags: {r} registry requests, {r / n:.2f} per tag')" "$n" "$((after - before))"
done
hyperfine --shell bash --runs "$runs" --export-json "$work/plan.json" \
  -n 'plan, 500 tags' '"$TAGFORGE" prune "$host/plan/app500" --keep-pinned "$work/pinned.yaml" --keep-last 10 >/dev/null 2>&1' \
  -n 'plan, 1,000 tags' '"$TAGFORGE" prune "$host/plan/app1000" --keep-pinned "$work/pinned.yaml" --keep-last 10 >/dev/null 2>&1' \
  -n 'plan, 2,000 tags' '"$TAGFORGE" prune "$host/plan/app2000" --keep-pinned "$work/pinned.yaml" --keep-last 10 >/dev/null 2>&1'

echo; echo "== 2. --apply of 800 deletions, 10 tags kept by a deployment file: re-checked rounds vs the baseline's one-at-a-time (target: <= 1.0x)"
for who in base new; do
  python3 "$work/populate.py" "$host" "apply/$who" 800 10 >/dev/null
  {
    printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n'
    for i in $(seq 0 9); do printf '      - name: c%d\n        image: %s/apply/%s:keep-%d\n' "$i" "$host" "$who" "$i"; done
  } > "$work/keep-$who.yaml"
done
before=$(requests)
"$TAGFORGE" prune "$host/apply/new" --keep-pinned "$work/keep-new.yaml" --apply 2>&1 >/dev/null | tail -1
echo "one apply of 800: $(( $(requests) - before )) registry requests (this tree)"
python3 "$work/populate.py" "$host" "apply/new" 800 10 >/dev/null
before=$(requests)
"$TAGFORGE_BASELINE" prune "$host/apply/base" --keep-pinned "$work/keep-base.yaml" --apply 2>&1 >/dev/null | tail -1
echo "one apply of 800: $(( $(requests) - before )) registry requests (baseline)"
hyperfine --shell bash --runs "$runs" --export-json "$work/apply.json" \
  --prepare 'python3 "$work/populate.py" "$host" apply/base 800 10 >/dev/null && python3 "$work/populate.py" "$host" apply/new 800 10 >/dev/null' \
  -n 'baseline: one DELETE at a time' '"$TAGFORGE_BASELINE" prune "$host/apply/base" --keep-pinned "$work/keep-base.yaml" --apply >/dev/null 2>&1' \
  -n 'this tree: re-checked rounds' '"$TAGFORGE" prune "$host/apply/new" --keep-pinned "$work/keep-new.yaml" --apply >/dev/null 2>&1'

python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
def means(name):
    return [(r["command"], r["mean"], r["stddev"]) for r in json.load(open(f"{w}/{name}.json"))["results"]]
print("\n== summary (means)")
for c, m, s in means("plan"):
    print(f"{c}: {m:.2f}s +- {s:.2f}")
(b, bm, bs), (t, tm, ts) = means("apply")
print(f"apply of 800: {t} {tm:.2f}s +- {ts:.2f} vs {b} {bm:.2f}s +- {bs:.2f} = {tm / bm:.2f}x")
PY
