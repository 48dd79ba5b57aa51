#!/usr/bin/env bash
# Benchmark: `tagforge pin` on 10,000 Kubernetes manifests (one image each) against `sed -i` doing the same
# replacement on the same files, in one hyperfine run. Each run starts from a fresh copy (hyperfine --prepare).
#
#   scripts/bench/pin.sh                 # publishes the CLI with Native AOT into $TMPDIR first
#   TAGFORGE=/path/to/tagforge scripts/bench/pin.sh
#   FILES=1000 RUNS=5 scripts/bench/pin.sh
# Then, in the same run, tagforge alone on FILES/10 and FILES files in one directory: the cost per file must stay flat
# (the ratio of the times near 10, not 100), which a per-file listing of the directory would break.
set -euo pipefail
cd "$(dirname "$0")/../.."

FILES=${FILES:-10000}
RUNS=${RUNS:-10}
# BENCH_DIR=/dev/shm measures the tools rather than a (shared, noisy) disk; the default is $TMPDIR.
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/tagforge-bench-pin.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [[ -z "${TAGFORGE:-}" ]]; then
  echo "publishing tagforge (Native AOT) into $WORK/bin ..." >&2
  if dotnet publish src/TagForge.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/bin" >"$WORK/publish.log" 2>&1; then
    TAGFORGE="$WORK/bin/tagforge"
  else
    echo "Native AOT publish failed (see below; it needs clang, e.g. apt-get install clang); using the Release JIT build" >&2
    tail -5 "$WORK/publish.log" >&2
    dotnet publish src/TagForge.Cli -c Release -o "$WORK/bin" >"$WORK/publish.log" 2>&1
    TAGFORGE="$WORK/bin/tagforge"
  fi
fi

DIGEST=sha256:14c2529eb4498c5d1ffd6915d05bf58a91bdda796af59f41d480d11c099d0479
OLD=registry.example.com:5000/shop/api:2.4.0
NEW=registry.example.com:5000/shop/api:2.4.1@$DIGEST

cat >"$WORK/tagforge.json" <<JSON
{"schemaVersion":1,"images":[{"repository":"registry.example.com:5000/shop/api","tag":"2.4.1","digest":"$DIGEST",
"reference":"registry.example.com:5000/shop/api@$DIGEST","imageId":null,"tags":["2.4.1"],"platform":null,
"git":{"commit":"abc1234","branch":"main","dirty":false},"build":{"provider":"local","number":null,"url":null},
"createdAt":"2026-11-23T10:00:00+00:00"}]}
JSON

mkdir -p "$WORK/pristine"
# printf is a builtin: no process per file (a `cat` per file took minutes for 10,000 on a loaded machine).
for ((i = 0; i < FILES; i++)); do
  printf '%s' "# service $i
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-$i
  labels: {app: app-$i}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-$i}
  template:
    metadata:
      labels: {app: app-$i}
    spec:
      containers:
        - name: app
          image: $OLD   # pinned by CI
          ports:
            - containerPort: 8080
" >"$WORK/pristine/app-$i.yaml"
done

# Both tools must produce the same bytes, or the comparison means nothing.
rm -rf "$WORK/a" "$WORK/b" && cp -r "$WORK/pristine" "$WORK/a" && cp -r "$WORK/pristine" "$WORK/b"
(cd "$WORK/a" && sed -i "s|image: $OLD |image: $NEW |" ./*.yaml)
"$TAGFORGE" pin "$WORK/b" --record "$WORK/tagforge.json" 2>/dev/null
diff -r "$WORK/a" "$WORK/b" >/dev/null || { echo "sed and tagforge disagree" >&2; exit 1; }

echo "tagforge: $TAGFORGE ($(file -b "$TAGFORGE" | cut -d, -f1)); $FILES files; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$WORK/pin.md" \
  --prepare "rm -rf '$WORK/w' && cp -r '$WORK/pristine' '$WORK/w'" \
  -n "sed -i" "cd '$WORK/w' && sed -i 's|image: $OLD |image: $NEW |' ./*.yaml" \
  -n "tagforge pin" "'$TAGFORGE' pin '$WORK/w' --record '$WORK/tagforge.json' 2>/dev/null"
cat "$WORK/pin.md"

SMALL=$((FILES / 10))
mkdir -p "$WORK/pristine-small"
for ((i = 0; i < SMALL; i++)); do cp "$WORK/pristine/app-$i.yaml" "$WORK/pristine-small/"; done
echo "tagforge pin on $SMALL vs $FILES files in one directory; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$WORK/scale.md" \
  --prepare "rm -rf '$WORK/w' '$WORK/s' && cp -r '$WORK/pristine' '$WORK/w' && cp -r '$WORK/pristine-small' '$WORK/s'" \
  -n "tagforge pin, $SMALL files" "'$TAGFORGE' pin '$WORK/s' --record '$WORK/tagforge.json' 2>/dev/null" \
  -n "tagforge pin, $FILES files" "'$TAGFORGE' pin '$WORK/w' --record '$WORK/tagforge.json' 2>/dev/null"
cat "$WORK/scale.md"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
