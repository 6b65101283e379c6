#!/bin/sh
# tests/qa/tools.sh BUILD — the QA streams (written from DESIGN §3 bytes by
# gen_qa_streams, not by the project's encoder) through every tool:
#   mtldump --json   fields decode to what was written (spot checks)
#   mtlvalidate      valid streams have no error; each broken one gives its
#                    rule first at the expected command and offset (EXPECTED)
#   mtlrec           pack then unpack is byte-identical
#   mtlinfo --json   frames and commands counted
#   mtlreplay        captured pixels are what the stream draws (sRGB drawable,
#                    y-up NDC, scissor, stencil clip, MSAA edges, compute)
# Run from the top of the tree. Exit 0 when everything holds.
set -u
B=${1:-build}
BIN=$B/bin
OUT=$B/qa/streams
PNGPIX="python3 tests/qa/pngpix.py"
fails=0
fail() { echo "qa-tools: FAIL: $*"; fails=$((fails + 1)); }

rm -rf "$OUT" && mkdir -p "$OUT/png" || exit 2
"$B/qa/gen_qa_streams" "$OUT" || { echo "qa-tools: generator failed"; exit 1; }
RES="--resolution 256x192"

# --- mtldump --json: spot-check fields against the bytes written
dump() { "$BIN/mtldump" --json $RES "$OUT/$1.bin"; }
expect_json() { # stream jq-filter expected
	got=$(dump "$1" | jq -c "$2" 2>/dev/null | head -1)
	[ "$got" = "$3" ] || fail "mtldump $1: $2 gave '$got', wrote '$3'"
}
expect_json ui-frame 'select(.index==39) | [.method,.clear_r,.clear_g,.clear_b,.clear_a]' \
	'["BEGIN_RENDER_PASS",0.200000003,0.400000006,0.600000024,1]'
expect_json ui-frame 'select(.index==34) | [.x,.y,.w,.h]' '[200,150,30,20]'
expect_json ui-frame 'select(.index==28) | [.primitive,.start,.count]' '["triangleStrip",0,4]'
expect_json ui-frame 'select(.index==16) | [.tex,.w,.h,.bytes_per_row]' '[40,16,16,20]'
expect_json ui-frame 'select(.method=="SET_CURSOR_FROM_TEXTURE") | [.tex,.w,.h,.hot_x,.hot_y]' '[41,32,32,16,16]'
expect_json ui-frame 'select(.method=="SET_CURSOR_POSITION") | [.x,.y]' '[200.5,40.25]'
expect_json ui-frame 'select(.index==1) | [.fn,.lib,.name]' '[10,1,"ui_vertex"]'
expect_json stencil-clip 'select(.method=="CREATE_DEPTH_STENCIL_STATE") | [.state]' '[70]'
expect_json stencil-clip 'select(.method=="CREATE_TEXTURE") | [.width,.height,.pixel_format,.usage]' '[256,192,"stencil8",4]'
expect_json msaa-resolve 'select(.method=="CREATE_TEXTURE") | [.type,.sample_count,.pixel_format]' '["type2DMultisample",4,"bgra8Unorm_srgb"]'
expect_json msaa-resolve 'select(.method=="BEGIN_RENDER_PASS") | [.color,.resolve,.store]' '[45,4294967295,"multisampleResolve"]'
expect_json compute-path 'select(.method=="DISPATCH_THREADS") | tostring | test("256") and test("192") and test("16")' 'true'
expect_json compute-path 'select(.method=="COPY_TEXTURE_REGION") | [.src,.dst]' '[46,47]'
n=$(dump ui-frame | wc -l)
[ "$n" -eq 59 ] || fail "mtldump ui-frame: $n commands, wrote 59"

# --- mtlvalidate
for s in ui-frame blur-composite stencil-clip msaa-resolve compute-path; do
	errs=$("$BIN/mtlvalidate" --json $RES "$OUT/$s.bin" | jq .errors)
	[ "$errs" = 0 ] || fail "mtlvalidate $s: $errs errors in a valid stream"
done
while read -r name rule sev cmd off; do
	js=$("$BIN/mtlvalidate" --json $RES "$OUT/$name.bin")
	rc=$?
	got=$(echo "$js" | jq -r '.findings[0] | "\(.rule) \(.severity) \(.command) \(.offset)"')
	want="$rule $sev $cmd $(printf %d "$off")"
	[ "$got" = "$want" ] || fail "mtlvalidate $name: first finding '$got', expected '$want'"
	if [ "$sev" = error ]; then [ $rc -eq 1 ] || fail "mtlvalidate $name: exit $rc, expected 1"
	else [ $rc -eq 0 ] || fail "mtlvalidate $name: exit $rc, expected 0"; fi
done < "$OUT/EXPECTED"

# --- mtlrec pack/unpack, mtlinfo
for s in ui-frame blur-composite stencil-clip msaa-resolve compute-path bad-open-at-present bad-bytes-too-large; do
	"$BIN/mtlrec" pack $RES "$OUT/$s.bin" -o "$OUT/$s.mtlrec" || fail "mtlrec pack $s"
	"$BIN/mtlrec" unpack "$OUT/$s.mtlrec" -o "$OUT/$s.unpacked" || fail "mtlrec unpack $s"
	cmp -s "$OUT/$s.bin" "$OUT/$s.unpacked" || fail "mtlrec $s: unpack differs from what was packed"
done
info=$("$BIN/mtlinfo" --json "$OUT/ui-frame.mtlrec" | jq -c '[.frames,.commands,.malformed_commands,.display.width,.display.height]')
[ "$info" = "[4,59,0,256,192]" ] || fail "mtlinfo ui-frame.mtlrec: $info, expected [4,59,0,256,192]"

# --- mtlreplay: pixels
replay() { "$BIN/mtlreplay" --quiet --threads 2 $RES "$@" || fail "mtlreplay $*"; }
replay --capture 0,1,2,3 "$OUT/png/ui" "$OUT/ui-frame.bin"
replay --capture 0 "$OUT/png/blur.png" "$OUT/blur-composite.bin"
replay --capture 0 "$OUT/png/stencil.png" "$OUT/stencil-clip.bin"
replay --capture 0 "$OUT/png/msaa.png" "$OUT/msaa-resolve.bin"
replay --capture 0 "$OUT/png/compute.png" "$OUT/compute-path.bin"
replay --capture 1 "$OUT/png/rec-1.png" "$OUT/ui-frame.mtlrec"
cmp -s "$OUT/png/rec-1.png" "$OUT/png/ui-001.png" || fail "replay of the .mtlrec differs from the raw stream"
# deterministic to the bit whatever the number of render threads
for s in ui-frame msaa-resolve blur-composite; do
	for t in 1 3; do
		"$BIN/mtlreplay" --quiet --threads $t $RES --capture-all "$OUT/det-$s-$t" "$OUT/$s.bin" || fail "mtlreplay --threads $t $s"
	done
	diff -rq "$OUT/det-$s-1" "$OUT/det-$s-3" >/dev/null || fail "$s: --threads 1 and --threads 3 give different frames"
done
near() { # file x,y "r g b a" tolerance
	got=$($PNGPIX "$1" "$2") || { fail "cannot read $1"; return; }
	set -- "$1" "$2" "$3" "$4" "$got"
	echo "$3 $5 $4" | awk '{ for (i = 1; i <= 4; i++) { d = $i - $(i + 4); if (d < 0) d = -d; if (d > $9) exit 1 } }' ||
		fail "$(basename "$1") pixel $2: got $5, expected $3 (±$4)"
}
# frame 0: clear 0.08,0.08,0.1 linear -> sRGB 80,80,89; scissored green;
# gradient red->blue mixes in linear: middle 0.5 -> sRGB 188; card 0.95,0.95,0.97 -> 249,249,252
near "$OUT/png/ui-000.png" 195,145 "80 80 89 255" 1
near "$OUT/png/ui-000.png" 215,160 "0 255 0 255" 0
near "$OUT/png/ui-000.png" 2,8 "255 0 0 255" 2
near "$OUT/png/ui-000.png" 253,8 "0 0 255 255" 4
near "$OUT/png/ui-000.png" 128,8 "188 0 188 255" 2
near "$OUT/png/ui-000.png" 100,100 "249 249 252 255" 1
# frame 1: 28-byte clear 0.2,0.4,0.6 (alpha 1) -> 124,170,203; red top-left quarter (y up NDC)
near "$OUT/png/ui-001.png" 200,150 "124 170 203 255" 1
near "$OUT/png/ui-001.png" 10,10 "255 0 0 255" 0
near "$OUT/png/ui-001.png" 10,150 "124 170 203 255" 1
# cursor image at 200.5,40.25, hot spot 0,0: pixel (x<=y) opaque, R=255 G=200
near "$OUT/png/ui-001.png" 202,50 "255 200 0 255" 0
near "$OUT/png/ui-001.png" 212,42 "124 170 203 255" 1
# frame 2: blue disc cursor from a texture, hot spot at its centre = 64,48
near "$OUT/png/ui-002.png" 64,48 "0 0 255 255" 0
near "$OUT/png/ui-002.png" 64,70 "255 255 255 255" 0
# frame 3: cursor hidden
near "$OUT/png/ui-003.png" 64,48 "255 255 255 255" 0
# blur: orange 1,0.5,0 in an rgba8Unorm layer, composited to sRGB: 255,188,0
near "$OUT/png/blur.png" 128,96 "255 188 0 255" 1
near "$OUT/png/blur.png" 5,5 "243 243 243 255" 1
# stencil clip: yellow inside the rounded rect, the black clear outside it
near "$OUT/png/stencil.png" 128,96 "255 255 0 255" 0
near "$OUT/png/stencil.png" 2,2 "0 0 0 255" 0
near "$OUT/png/stencil.png" 50,38 "0 0 0 255" 0
# MSAA: resolved edges have partial coverage
partial=$($PNGPIX "$OUT/png/msaa.png" --partial)
[ "$partial" -gt 100 ] || fail "msaa.png: only $partial partially covered pixels"
near "$OUT/png/msaa.png" 128,96 "255 255 255 255" 0
near "$OUT/png/msaa.png" 5,5 "0 0 0 255" 0
# compute path: on the first segment, off the path: the 0.2 blue clear (124)
near "$OUT/png/compute.png" 90,32 "0 255 255 255" 1
near "$OUT/png/compute.png" 128,150 "0 0 124 255" 1

[ $fails -eq 0 ] && echo "qa-tools: ok" || echo "qa-tools: $fails failures"
[ $fails -eq 0 ]
