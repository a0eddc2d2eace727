#!/bin/sh
# Makes assets/fonts/VigilHangul-Regular.ttf, the CJK fallback font compiled into the app
# (crates/vigil-app/src/fonts/), from Debian's fonts-nanum NanumGothic.ttf (SIL OFL 1.1).
#
# Kept: Hangul (syllables, jamo, compatibility jamo, extended jamo), kana, CJK symbols and
# punctuation, enclosed CJK letters, fullwidth forms and the 4,888 Hanja of KS X 1001.
# Dropped: Latin (egui's own fonts draw it), hinting (egui rasterises without it).
# The OFL reserves the name "NanumGothic" for the original, so the subset is renamed.
#
# Needs: fonts-nanum python3-fonttools. Reproducible: the same input gives the same bytes.
# Usage: packaging/make-font-subset.sh [source.ttf] [output.ttf]
set -eu
cd "$(dirname "$0")/.."
src=${1:-/usr/share/fonts/truetype/nanum/NanumGothic.ttf}
out=${2:-assets/fonts/VigilHangul-Regular.ttf}
[ -r "$src" ] || { echo "missing $src: apt-get install fonts-nanum" >&2; exit 1; }

/usr/bin/python3 - "$src" "$out" <<'PY'
import sys
from fontTools import subset
from fontTools.ttLib import TTFont

src, out = sys.argv[1], sys.argv[2]
ranges = [
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x3200, 0x33FF),  # Enclosed CJK Letters and Months, CJK Compatibility
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7A3),  # Hangul Syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
    (0x2010, 0x203B),  # dashes, quotes, bullets, ※
]
codepoints = set()
for lo, hi in ranges:
    codepoints.update(range(lo, hi + 1))
# KS X 1001 Hanja: EUC-KR rows 0xCA..0xFD.
for lead in range(0xCA, 0xFE):
    for trail in range(0xA1, 0xFF):
        try:
            codepoints.add(ord(bytes([lead, trail]).decode("euc_kr")))
        except UnicodeDecodeError:
            pass

options = subset.Options()
options.hinting = False
options.layout_features = ["*"]
options.name_IDs = ["*"]
options.notdef_outline = True
options.recalc_timestamp = False
font = TTFont(src, recalcTimestamp=False)
subsetter = subset.Subsetter(options)
subsetter.populate(unicodes=sorted(codepoints))
subsetter.subset(font)

# A modified version may not carry the reserved font names (OFL 1.1, condition 3).
family = "Vigil Hangul"
names = font["name"]
for rec in list(names.names):
    if rec.nameID in (1, 4, 16, 21):
        rec.string = family if rec.nameID != 4 else family + " Regular"
    elif rec.nameID == 3:
        rec.string = family + " Regular; subset of NanumGothic"
    elif rec.nameID == 6:
        rec.string = "VigilHangul-Regular"
font["head"].modified = font["head"].created
font.save(out)
cmap = font.getBestCmap()
print(f"{out}: {len(cmap)} characters")
PY
ls -l "$out"
