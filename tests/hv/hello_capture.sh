#!/bin/sh
# hello-triangle end to end (issue 7, part 6):
#   1. boot with --record and --capture 3: metalvisor exits 0 after the
#      capture and the PNG equals corpus/golden/hello-triangle-3.png;
#   2. a second boot gives a byte-identical recording (virtual time);
#   3. mtlreplay of the recording gives the same PNG bit for bit (when the
#      mtlreplay tool is built).
# Usage: hello_capture.sh METALVISOR HELLO_ELF [MTLREPLAY]   (run from the top of the tree)
set -u
# Under ASan, ignore only the known leaks outside the virtio devices.
LSAN_OPTIONS="suppressions=$(pwd)/tests/hv/virtio_lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
MV=${1:?metalvisor binary}
ELF=${2:?hello-triangle.elf}
REPLAY=${3:-}
GOLDEN=corpus/golden/hello-triangle-3.png
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hello_capture.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fail() { echo "hello_capture: FAIL: $*"; exit 1; }

run() { # run NAME: boot once, recording to $TMP/NAME.mtlrec, capture to $TMP/NAME.png
	"$MV" --timeout 120 --record "$TMP/$1.mtlrec" --capture 3 "$TMP/$1.png" "$ELF" \
		>"$TMP/$1.out" 2>"$TMP/$1.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		cat "$TMP/$1.out" "$TMP/$1.err"
		fail "boot $1 exited with status $rc (expected 0 after the last capture)"
	fi
	[ -s "$TMP/$1.png" ] || fail "boot $1 wrote no capture"
	grep -q "hello-triangle: presented frame 2" "$TMP/$1.out" || fail "boot $1: guest did not report its frames"
}

run a
if [ ! -f "$GOLDEN" ]; then
	fail "$GOLDEN is missing (review $TMP/a.png and add it)"
fi
cmp -s "$TMP/a.png" "$GOLDEN" || { cp "$TMP/a.png" "${TMPDIR:-/tmp}/hello-triangle-3.actual.png"; \
	fail "capture differs from $GOLDEN (actual kept in ${TMPDIR:-/tmp}/hello-triangle-3.actual.png)"; }
echo "hello_capture: capture of frame 3 matches $GOLDEN"

run b
cmp -s "$TMP/a.mtlrec" "$TMP/b.mtlrec" || fail "two boots gave different recordings"
cmp -s "$TMP/a.png" "$TMP/b.png" || fail "two boots gave different captures"
echo "hello_capture: two boots give byte-identical recordings ($(wc -c <"$TMP/a.mtlrec") bytes)"

if [ -n "$REPLAY" ] && [ -x "$REPLAY" ]; then
	"$REPLAY" --capture 3 "$TMP/replay.png" "$TMP/a.mtlrec" >"$TMP/replay.out" 2>&1 ||
		{ cat "$TMP/replay.out"; fail "mtlreplay failed on the recording"; }
	cmp -s "$TMP/replay.png" "$GOLDEN" || fail "mtlreplay's frame 3 differs from the live capture"
	echo "hello_capture: mtlreplay of the recording gives the same PNG bit for bit"
else
	echo "hello_capture: mtlreplay not built; replay comparison skipped"
fi
# The other ways of waiting for vsync (default: the interrupt) draw the same.
for mode in wfi poll; do
	"$MV" --timeout 60 --append "vsync=$mode" --capture 3 "$TMP/$mode.png" "$ELF" >"$TMP/$mode.out" 2>&1 ||
		{ cat "$TMP/$mode.out"; fail "vsync=$mode boot failed"; }
	cmp -s "$TMP/$mode.png" "$GOLDEN" || fail "vsync=$mode: frame 3 differs from $GOLDEN"
done
echo "hello_capture: vsync=wfi and vsync=poll give the same frame 3"

# --resolution reaches the config space (the guest prints it) and the capture.
"$MV" --timeout 60 --resolution 320x200 --append "frames=2" --capture 1 "$TMP/small.png" "$ELF" \
	>"$TMP/small.out" 2>"$TMP/small.err" || { cat "$TMP/small.err"; fail "--resolution 320x200 boot failed"; }
grep -q "display 320x200 at 60 Hz (has_display 0)" "$TMP/small.out" || fail "the guest did not see 320x200"
size=$(od -An -tu1 -j16 -N8 "$TMP/small.png" | tr -s ' ' | sed 's/^ //')
[ "$size" = "0 0 1 64 0 0 0 200" ] || fail "capture is not 320x200 (IHDR bytes: $size)"
echo "hello_capture: --resolution 320x200 reaches the guest and the capture"

# --capture N,M PREFIX writes PREFIX-NNN.png and exits after the last one.
"$MV" --timeout 60 --capture 1,4 "$TMP/multi" "$ELF" >"$TMP/multi.out" 2>"$TMP/multi.err" ||
	{ cat "$TMP/multi.err"; fail "--capture 1,4 PREFIX did not exit 0"; }
[ -s "$TMP/multi-001.png" ] && [ -s "$TMP/multi-004.png" ] || fail "--capture 1,4 PREFIX did not write PREFIX-001.png and PREFIX-004.png"
cmp -s "$TMP/multi-001.png" "$TMP/multi-004.png" && fail "frames 1 and 4 should differ (the triangle moves)"
echo "hello_capture: --capture 1,4 PREFIX wrote PREFIX-001.png and PREFIX-004.png and exited"

# SIGUSR1: the next presented frame goes to metalvisor-capture.png in the
# current directory. Waits for events (the guest's first frame, the file),
# not for fixed delays; the loops only bound the wait.
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
mkdir "$TMP/sig"
MV_ABS=$(abs "$MV")
ELF_ABS=$(abs "$ELF")
(cd "$TMP/sig" && exec "$MV_ABS" --timeout 600 "$ELF_ABS" >out 2>err) &
pid=$!
i=0
while ! grep -q "presented frame 0" "$TMP/sig/out" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -USR1 $pid
i=0
while [ ! -s "$TMP/sig/metalvisor-capture.png" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill $pid 2>/dev/null
wait $pid 2>/dev/null
[ -s "$TMP/sig/metalvisor-capture.png" ] || { cat "$TMP/sig/err"; fail "SIGUSR1 wrote no metalvisor-capture.png"; }
echo "hello_capture: SIGUSR1 captured the next frame to metalvisor-capture.png"

# --no-gpu: slot 3 has no device; the guest says so and powers off.
"$MV" --timeout 60 --no-gpu "$ELF" >"$TMP/nogpu.out" 2>&1
grep -q "no virtio-metal device" "$TMP/nogpu.out" || { cat "$TMP/nogpu.out"; fail "--no-gpu still shows a GPU"; }
echo "hello_capture: --no-gpu leaves the device out"
echo "hello_capture: PASS"
