#!/usr/bin/env bash
# Renders the application icon assets/icons/vigil.svg to the PNG sizes desktops look up
# (assets/icons/hicolor/<N>x<N>/apps/org.vigilnvr.Vigil.png) with rsvg-convert (Debian
# librsvg2-bin, installed here if missing), and records the SVG's SHA-256 in
# assets/icons/vigil.svg.sha256 so a test can tell the committed PNGs are from the current SVG.
# Run it after every change to the SVG and commit the results. Usage: packaging/render-icons.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
icons="$root/assets/icons"
svg="$icons/vigil.svg"
app_id="org.vigilnvr.Vigil"
sizes=(16 24 32 48 64 128 256 512)

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "rsvg-convert is missing: installing librsvg2-bin"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "error: need root (or sudo) to install librsvg2-bin" >&2; exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends librsvg2-bin
fi

for n in "${sizes[@]}"; do
  dir="$icons/hicolor/${n}x${n}/apps"
  mkdir -p "$dir"
  rsvg-convert --width "$n" --height "$n" --format png --output "$dir/$app_id.png" "$svg"
  echo "rendered $dir/$app_id.png"
done

# Only the hash, no file name: the file can be checked from any working directory.
sha256sum "$svg" | cut -d' ' -f1 > "$icons/vigil.svg.sha256"
echo "wrote $icons/vigil.svg.sha256"
