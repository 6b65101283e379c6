#!/bin/sh
# virtio-input end to end: an --events script presses a key after frame 1
# and clicks the tablet at x=800 after frame 2; hello-triangle changes its
# background on the key and moves the triangle to the click, so frame 3
# must equal corpus/golden/hello-triangle-input-3.png, and the guest must
# report both events on its UART. A bad script line is refused with
# FILE:LINE:COL and a non-zero exit status (virtio_devices_setup returns 2,
# usage; the machine currently reports any setup failure as 5).
# Usage: virtio_input.sh METALVISOR HELLO_ELF
set -u
# Under ASan, ignore only the known leaks outside the virtio devices.
LSAN_OPTIONS="suppressions=$(pwd)/tests/hv/virtio_lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
MV=${1:?metalvisor binary}
ELF=${2:?hello-triangle.elf}
GOLDEN=corpus/golden/hello-triangle-input-3.png
TMP=$(mktemp -d "${TMPDIR:-/tmp}/virtio_input.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fail() { echo "virtio_input: FAIL: $*"; exit 1; }

cat >"$TMP/events" <<'EOS'
# frame_id action
1 key space press
2 click 800 100
EOS
"$MV" --timeout 120 --events "$TMP/events" --capture 3 "$TMP/f3.png" "$ELF" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 0 ] || { cat "$TMP/out" "$TMP/err"; fail "exit status $rc"; }
grep -q "hello-triangle: key 57 pressed" "$TMP/out" || { cat "$TMP/out"; fail "the guest did not see the key"; }
grep -q "hello-triangle: click at x=800" "$TMP/out" || { cat "$TMP/out"; fail "the guest did not see the click"; }
cmp -s "$TMP/f3.png" "$GOLDEN" || fail "frame 3 differs from $GOLDEN"
echo "virtio_input: key and click reached the guest; frame 3 matches $GOLDEN"

printf '1 key space press\n2 key space sideways\n' >"$TMP/bad"
"$MV" --timeout 10 --events "$TMP/bad" "$ELF" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -ne 0 ] || fail "a bad events script was accepted"
grep -q "$TMP/bad:2:13: " "$TMP/err" || { cat "$TMP/err"; fail "the error does not name FILE:LINE:COL"; }
echo "virtio_input: bad script refused (exit $rc): $(head -1 "$TMP/err")"
echo "virtio_input: PASS"
