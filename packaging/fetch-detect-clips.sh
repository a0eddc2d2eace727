#!/usr/bin/env bash
# Fetches the two real clips `vigil bench detect` measures detection quality on, from
# Debian's `opencv-doc` package (OpenCV's sample data; Apache-2.0 AND BSD-3-Clause per the
# package's copyright file). About 96 MB is downloaded once; only the two clips are kept.
#   vtest.avi  768x576 10 fps 79.5 s, people walking across a campus square (busy scene)
#   tree.avi   320x240 15 fps 29.6 s, a tree's foliage in the wind, light changing (no people)
# Each clip is checked against its SHA-256 (whatever the package's version, the clips must
# be these exact files: the annotations in tests/data/detect/ belong to them).
# Usage: packaging/fetch-detect-clips.sh [DIR]   (default $VIGIL_DETECT_CLIPS, else
# ~/.cache/vigil/detect-clips). Idempotent: nothing is fetched when both clips are there.
set -euo pipefail

dir="${1:-${VIGIL_DETECT_CLIPS:-$HOME/.cache/vigil/detect-clips}}"
declare -A want=(
  [vtest.avi]=45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf
  [tree.avi]=4666099d0f704e310047b2f0a5ec9f936cb76a7271de9a2e70a0c57f82ac82dc
)
member=./usr/share/doc/opencv-doc/examples/data

have() { [ -f "$dir/$1" ] && [ "$(sha256sum "$dir/$1" | cut -d' ' -f1)" = "${want[$1]}" ]; }

if have vtest.avi && have tree.avi; then
  exit 0
fi
for tool in apt-get dpkg-deb sha256sum; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed (Debian or Ubuntu)" >&2; exit 1; }
done

mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "Downloading Debian's opencv-doc package (about 96 MB) for its sample clips…"
if ! (cd "$tmp" && apt-get download -qq opencv-doc 2>"$tmp/apt.log"); then
  cat "$tmp/apt.log" >&2
  echo "error: apt-get could not download opencv-doc; run 'apt-get update' (as root) and try again" >&2
  exit 1
fi
deb="$(ls "$tmp"/opencv-doc_*.deb)"
dpkg-deb --fsys-tarfile "$deb" |
  tar -x -C "$tmp" "$member/vtest.avi" "$member/tree.avi" "./usr/share/doc/opencv-doc/copyright"
for clip in vtest.avi tree.avi; do
  got="$(sha256sum "$tmp/$member/$clip" | cut -d' ' -f1)"
  if [ "$got" != "${want[$clip]}" ]; then
    echo "error: $clip in $(basename "$deb") has SHA-256 $got, expected ${want[$clip]}" >&2
    echo "       (the annotations in tests/data/detect/ belong to the expected file)" >&2
    exit 1
  fi
  mv "$tmp/$member/$clip" "$dir/$clip"
done
cp "$tmp/usr/share/doc/opencv-doc/copyright" "$dir/opencv-doc.copyright"
echo "$(basename "$deb")" > "$dir/SOURCE"
echo "Clips in $dir: vtest.avi, tree.avi (from $(basename "$deb"))"
