#!/usr/bin/env bash
# Benchmark: `tagforge tag` (Native AOT) against the article's bash tag script on the same repository, and
# `{height}` on a generated 100,000-commit repository against `git rev-list --count HEAD` (untagged) and, with release
# tags (the newest 201 commits below HEAD), `{height}` and `{version}` against `git describe --tags`, in one hyperfine
# run each. Targets: tag <= 1.0x the script (aim 0.8x); height <= 1.5x git in both cases.
#
#   scripts/bench/tag.sh              # publishes the AOT binary if needed, builds the repos, prints the tables
#   TAGFORGE=/path/to/tagforge scripts/bench/tag.sh   # benchmark another build
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=${BENCH_DIR:-${TMPDIR:-/tmp}/tagforge-bench-tag}
commits=${HEIGHT_COMMITS:-100000}
mkdir -p "$work"

command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }

tagforge=${TAGFORGE:-$root/artifacts/aot/tagforge}
if [ -z "${TAGFORGE:-}" ]; then
  echo "bench: publishing tagforge as Native AOT to artifacts/aot" >&2
  dotnet publish src/TagForge.Cli -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot >/dev/null
fi

# 1. Two ordinary repositories: a clone of this one (an application-sized tree) and a larger one with 2,000
#    tracked files in 40 folders. The script only reads HEAD; tagforge also checks the tree for uncommitted
#    changes (the -dirty suffix), so it is measured both with that check and without it (--dirty ignore).
self=$work/self
rm -rf "$self" && git clone -q --no-hardlinks "$root" "$self"
large=$work/large
if [ ! -d "$large/.git" ]; then
  git init -q -b main "$large"
  git -C "$large" config user.email bench@tagforge.invalid
  git -C "$large" config user.name bench
  for c in $(seq 1 30); do
    for d in $(seq 1 40); do
      mkdir -p "$large/src/d$d"
      for f in $(seq 1 50); do echo "$c $d $f" > "$large/src/d$d/f$f.txt"; done
    done
    git -C "$large" add -A && git -C "$large" commit -qm "commit $c"
  done
fi

# The article's script, verbatim apart from the output file.
cat > "$work/article.sh" <<'SH'
GIT_FULL_HASH=$(git rev-parse HEAD)
echo IMAGE_TAG="v.${GIT_FULL_HASH:0:8}_$(date +%Y%m%d)$(date +%H%M)-${BUILD_NUMBER}" > IMAGE.TAG
SH

# A fresh CI clone: checkout and index written in the same second, so every entry is racily clean and its content
# must be hashed to prove the tree clean (made exact here by giving every file the index's mtime).
fresh=$work/fresh
rm -rf "$fresh" && git clone -q --no-hardlinks "$root" "$fresh"
(cd "$fresh" && git ls-files -z | xargs -0 touch -d "@$(stat -c %Y .git/index)")
# And a fresh clone as git leaves it: files written just before the index, in the same second but not the same
# nanosecond (what a CI checkout is; the touched one above forces every file to be re-read).
clone=$work/clone
rm -rf "$clone" && git clone -q --no-hardlinks "$root" "$clone"

export JENKINS_URL=https://jenkins.invalid/ BUILD_NUMBER=7
for repo in "$self" "$large" "$fresh" "$clone"; do
  cd "$repo"
  # self and large are settled, as on a laptop: no index entry is newer than the index.
  [ "$repo" = "$fresh" ] || [ "$repo" = "$clone" ] || { sleep 1; git update-index -q --really-refresh; }
  echo "== tag in $(basename "$repo") ($(git ls-files | wc -l) tracked files): article preset vs the article's bash script"
  hyperfine --warmup 10 --min-runs 200 -N \
    --export-markdown "$work/tag-$(basename "$repo").md" \
    -n "bash article.sh" "bash $work/article.sh" \
    -n "tagforge tag --preset article" "$tagforge tag --preset article --format dotenv --output IMAGE.TAG" \
    -n "tagforge tag --preset article --dirty ignore" "$tagforge tag --preset article --dirty ignore --format dotenv --output IMAGE.TAG"
  cat "$work/tag-$(basename "$repo").md"
  echo "bash script wrote: $(bash "$work/article.sh"; cat IMAGE.TAG)"
  echo "tagforge wrote:    $("$tagforge" tag --preset article --format dotenv --output IMAGE.TAG 2>/dev/null; cat IMAGE.TAG)"
  rm -f IMAGE.TAG
done

# 2. A 100,000-commit repository, made with git fast-import (seconds, not minutes).
big=$work/history-$commits
if [ ! -d "$big/.git" ]; then
  git init -q -b main "$big"
  python3 - "$commits" <<'PY' | git -C "$big" fast-import --quiet
import sys
n = int(sys.argv[1])
out = sys.stdout
for i in range(1, n + 1):
    msg = f"commit {i}\n"
    data = f"{i}\n"
    out.write("commit refs/heads/main\n")
    out.write(f"mark :{i}\n")
    out.write(f"committer Bench <bench@tagforge.invalid> {1600000000 + i} +0000\n")
    out.write(f"data {len(msg)}\n{msg}")
    if i > 1:
        out.write(f"from :{i - 1}\n")
    out.write(f"M 100644 inline file.txt\ndata {len(data)}\n{data}\n")
PY
  git -C "$big" checkout -q main
fi
cd "$big"
git tag -l | xargs -r git tag -d >/dev/null
# No commit-graph file, as in a fresh clone (git clone and fetch do not write one by default).
echo "== height: {height} on $commits commits vs git rev-list --count HEAD"
echo "git says $(git rev-list --count HEAD), tagforge says $("$tagforge" tag -t '{height}')"
hyperfine --warmup 3 --min-runs 20 -N \
  --export-markdown "$work/height.md" \
  -n "git rev-list --count HEAD" "git rev-list --count HEAD" \
  -n "tagforge tag -t {height}" "$tagforge tag -t {height}"
cat "$work/height.md"

# 3. The same history with release tags: annotated (as releases are, and as `git describe` without --tags wants; with
#    lightweight tags only, `git describe --tags` walks the whole history looking for an annotated one), the newest
#    201 commits below HEAD and older ones down to the first thousand commits.
for tag in v0.1.0:$((commits * 99 / 100)) v1.0.0:$((commits / 10)) v1.1.0:$((commits / 100)) v1.2.0:201; do
  git -c user.name=Bench -c user.email=bench@tagforge.invalid tag -a -m "release ${tag%%:*}" "${tag%%:*}" "HEAD~${tag##*:}"
done
echo "== tagged: {height} and {version} with v1.2.0 201 commits below HEAD vs git describe --tags"
echo "git says $(git describe --tags), tagforge says $("$tagforge" tag -t '{height}') and $("$tagforge" tag -t '{version}')"
hyperfine --warmup 3 --min-runs 30 -N \
  --export-markdown "$work/height-tagged.md" \
  -n "git describe --tags" "git describe --tags" \
  -n "git rev-list --count v1.2.0..HEAD" "git rev-list --count v1.2.0..HEAD" \
  -n "tagforge tag -t {height}" "$tagforge tag -t {height}" \
  -n "tagforge tag -t {version}" "$tagforge tag -t {version}"
cat "$work/height-tagged.md"
git tag -l | xargs -r git tag -d >/dev/null
