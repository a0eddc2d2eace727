#!/usr/bin/env bash
# Draws the hand-made boxes of one clip on its annotated frames, to check them by eye:
# red = person, yellow = difficult (mostly hidden or cut by the edge).
# Usage: tests/data/detect/show.sh vtest|tree OUT_DIR   (clips from packaging/fetch-detect-clips.sh)
set -euo pipefail
name="$1"; out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
clips="${VIGIL_DETECT_CLIPS:-$HOME/.cache/vigil/detect-clips}"
mkdir -p "$out"
python3 - "$here/$name.json" "$clips" "$out" <<'EOF'
import json, subprocess, sys
ann, clips, out = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
for f in ann["frames"]:
    draw = [f"drawbox=x={x}:y={y}:w={w}:h={h}:color=red" for x, y, w, h in f["people"]]
    draw += [f"drawbox=x={x}:y={y}:w={w}:h={h}:color=yellow" for x, y, w, h in f.get("difficult", [])]
    chain = ",".join([f"select=eq(n\\,{f['frame']})"] + draw)
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", f"{clips}/{ann['clip']}",
                    "-vf", chain, "-vsync", "0", "-frames:v", "1",
                    f"{out}/{ann['clip']}-{f['frame']:04d}.png"], check=True)
print(f"{len(ann['frames'])} frames in {out}")
EOF
