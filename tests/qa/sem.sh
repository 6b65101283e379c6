#!/bin/sh
# tests/qa/sem.sh BUILD — one small stream per Metal rule (gen_qa_sem):
# write mask bits, clockwise front faces, scissor reset per pass,
# blitRetained, BGRA byte order and region uploads, repeat/mirrorRepeat,
# blend alpha, Metal's 4x sample positions, back-face stencil ops of the
# 12-byte depth-stencil form. Replays each and compares the pixels listed
# in PIXELS (the values Metal gives).
set -u
B=${1:-build}
OUT=$B/qa/sem
fails=0
rm -rf "$OUT" && mkdir -p "$OUT" || exit 2
"$B/qa/gen_qa_sem" "$OUT" || { echo "qa-sem: generator failed"; exit 1; }
for f in "$OUT"/*.bin; do
	n=$(basename "$f" .bin)
	"$B/bin/mtlreplay" --quiet --threads 2 --resolution 64x64 --capture-all "$OUT/cap-$n" "$f" ||
		{ echo "qa-sem: FAIL: mtlreplay $n"; fails=$((fails + 1)); }
done
while read -r n xy r g b a tol why; do
	png=$(ls "$OUT/cap-$n"/*.png 2>/dev/null | tail -1)
	got=$(python3 tests/qa/pngpix.py "$png" "$xy" 2>/dev/null)
	if ! echo "$r $g $b $a $got $tol" | awk '{ for (i = 1; i <= 4; i++) { d = $i - $(i + 4); if (d < 0) d = -d; if (d > $9) exit 1 } }'; then
		echo "qa-sem: FAIL: $n pixel $xy: got '$got', expected $r $g $b $a (±$tol) $why"
		fails=$((fails + 1))
	fi
done < "$OUT/PIXELS"
[ $fails -eq 0 ] && echo "qa-sem: ok" || echo "qa-sem: $fails failures"
[ $fails -eq 0 ]
