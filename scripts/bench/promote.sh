#!/usr/bin/env bash
# Promote and prune, in one run against two local docker-registry instances:
#   1. same-repository promote (a retag: one manifest GET + PUT) vs docker pull && docker tag && docker push;
#   2. cross-registry promote (missing blobs streamed) vs skopeo copy --all;
#   3. prune planning of repositories of 500, 1,000 and 2,000 tags with 200 pinned digests (linear?).
# The image: 3 layers of random files, 50 MiB, FROM scratch. Needs: dotnet, docker (a running engine),
# docker-registry, skopeo, hyperfine, python3.
# Usage: scripts/bench/promote.sh [runs]     TAGFORGE=/path/to/tagforge skips the Native AOT publish.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
work=$(mktemp -d)
chmod 755 "$work"   # skopeo runs as nobody (below) and must reach its cache folder
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${TAGFORGE:-}" ]; then
  echo "publishing tagforge (Native AOT)..." >&2
  dotnet publish "$root/src/TagForge.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" >/dev/null
  TAGFORGE="$work/aot/tagforge"
fi
export TAGFORGE

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
start_registry() { # name -> prints host:port
  local name=$1 port
  port=$(free_port)
  mkdir -p "$work/$name"
  cat > "$work/$name/config.yml" <<YML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/$name/storage }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
YML
  docker-registry serve "$work/$name/config.yml" >"$work/$name/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  echo "127.0.0.1:$port"
}
one=$(start_registry one)
two=$(start_registry two)
echo "registries: $one and $two" >&2

# The image: three layers (one COPY each) of ~16.7 MiB of random bytes, FROM scratch.
mkdir -p "$work/image"
for i in 1 2 3; do head -c $((50 * 1024 * 1024 / 3)) /dev/urandom > "$work/image/layer$i.bin"; done
printf 'FROM scratch\nCOPY layer1.bin /\nCOPY layer2.bin /\nCOPY layer3.bin /\n' > "$work/image/Dockerfile"
source="$one/bench/app:v1"
docker build -q -t "$source" "$work/image" >/dev/null
docker push -q "$source" >/dev/null 2>&1 || docker push "$source" >/dev/null
docker rmi -f "$source" >/dev/null
digest=$("$TAGFORGE" promote "$source" v1-check --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')
echo "source $source = $digest" >&2

counter="$work/counter"; echo 0 > "$counter"
export counter one two source work
# Each run promotes to a new tag / repository, so every run does the full work.
next() { local n; n=$(( $(cat "$counter") + 1 )); echo "$n" > "$counter"; echo "$n"; }
export -f next

echo; echo "== 1. same-repository promote vs docker pull && docker tag && docker push (target <= 0.05x)"
hyperfine --shell bash --runs "$runs" --export-json "$work/retag.json" \
  --prepare 'docker rmi -f "$source" "$one/bench/app:docker" >/dev/null 2>&1 || true' \
  -n 'docker pull + tag + push' 'docker pull -q "$source" >/dev/null && docker tag "$source" "$one/bench/app:docker" && docker push -q "$one/bench/app:docker" >/dev/null' \
  -n 'tagforge promote (retag)' '"$TAGFORGE" promote "$source" "prod-$(next)" >/dev/null 2>&1'

echo; echo "== 2. cross-registry promote vs skopeo copy --all (target <= 1.0x)"
# skopeo remembers where it saw each blob (blob-info-cache) and then mounts instead of copying, which TagForge does
# only from the source repository: each skopeo run gets an empty cache (as nobody, so the cache is under $HOME, not
# /var/lib/containers), so both copy every byte every run.
mkdir -p "$work/skopeo"; chmod 755 "$work/skopeo"
hyperfine --shell bash --runs "$runs" --export-json "$work/copy.json" \
  -n 'skopeo copy --all' 'd="$work/skopeo/$(next)"; mkdir -p "$d"; chmod 777 "$d"; setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$d" XDG_DATA_HOME="$d" XDG_RUNTIME_DIR="$d" REGISTRY_AUTH_FILE="$d/auth.json" skopeo copy -q --all --src-tls-verify=false --dest-tls-verify=false "docker://$source" "docker://$two/skopeo$(next)/app:v1"' \
  -n 'tagforge promote (copy)' '"$TAGFORGE" promote "$source" "$two/tagforge$(next)/app:v1" >/dev/null 2>&1'

echo; echo "== 3. prune planning: 200 pinned digests, 500 / 1,000 / 2,000 tags (target: seconds, linear)"
python3 - "$one" "$work/pinned.yaml" <<'PY'
import hashlib, http.client, json, sys
host, pinned_path = sys.argv[1], sys.argv[2]
h, p = host.split(":")
conn = http.client.HTTPConnection(h, int(p))
def req(method, path, body=b"", headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse(); data = r.read()
    if r.status >= 300: raise SystemExit(f"{method} {path}: {r.status} {data[:200]}")
    return r
config = json.dumps({"architecture": "amd64", "os": "linux", "created": "2026-11-01T00:00:00Z", "rootfs": {"type": "layers", "diff_ids": []}, "config": {}}).encode()
cd = "sha256:" + hashlib.sha256(config).hexdigest()
pinned = []
for n in (500, 1000, 2000):
    repo = f"prune/app{n}"
    r = req("POST", f"/v2/{repo}/blobs/uploads/")
    loc = r.getheader("Location").split(host, 1)[-1]
    req("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + cd, config, {"Content-Type": "application/octet-stream"})
    for i in range(n):
        m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": len(config)},
                        "layers": [], "annotations": {"n": str(i)}}).encode()
        req("PUT", f"/v2/{repo}/manifests/build-{i:05d}", m, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
        if n == 2000 and i % 10 == 0:
            pinned.append("sha256:" + hashlib.sha256(m).hexdigest())
with open(pinned_path, "w") as f:
    f.write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pinned\nspec:\n  containers:\n")
    for i, d in enumerate(pinned):
        for n in (500, 1000, 2000):
            f.write(f"  - name: c{n}-{i}\n    image: {host}/prune/app{n}@{d}\n")
PY
hyperfine --shell bash --runs 3 --export-json "$work/prune.json" \
  -n 'prune plan, 500 tags' '"$TAGFORGE" prune "$one/prune/app500" --keep-pinned "$work/pinned.yaml" --keep-last 10 >/dev/null 2>&1' \
  -n 'prune plan, 1,000 tags' '"$TAGFORGE" prune "$one/prune/app1000" --keep-pinned "$work/pinned.yaml" --keep-last 10 >/dev/null 2>&1' \
  -n 'prune plan, 2,000 tags' '"$TAGFORGE" prune "$one/prune/app2000" --keep-pinned "$work/pinned.yaml" --keep-last 10 >/dev/null 2>&1'
"$TAGFORGE" prune "$one/prune/app2000" --keep-pinned "$work/pinned.yaml" --keep-last 10 2>&1 >/dev/null | tail -1

python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
def means(name):
    return [(r["command"], r["mean"], r["stddev"]) for r in json.load(open(f"{w}/{name}.json"))["results"]]
print("\n== summary (means)")
for name, label in (("retag", "same repository"), ("copy", "other registry")):
    (b, bm, _), (t, tm, _) = means(name)
    print(f"{label}: {t} {tm:.3f}s vs {b} {bm:.3f}s = {tm / bm:.3f}x")
for c, m, s in means("prune"):
    print(f"{c}: {m:.2f}s +- {s:.2f}")
PY
