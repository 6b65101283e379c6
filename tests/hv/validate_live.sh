#!/bin/sh
# metalvisor --validate checks the MSL-aware rules live (msl/inspector.h):
# the hostile guest's "badshader" attack sends a library with a syntax
# error at 4:38, a GET_FUNCTION of a name the library lacks, a vertex
# function used as the fragment function, a stage_in with an int2 attribute
# and a draw whose fragment function reads an unbound [[buffer(0)]]: one per
# shader.* rule. With --validate each must be
# logged with its shader.* rule, frame, command, submission, queue and byte
# offset, and the device must keep running. Without --validate nothing is
# validated. With MTLVALIDATE given, the run's recording validated offline
# must give the same findings at the same places.
# Usage: validate_live.sh METALVISOR HOSTILE_ELF [MTLVALIDATE]
set -u
# Under ASan, ignore only the known leaks outside the virtio devices.
LSAN_OPTIONS="suppressions=$(pwd)/tests/hv/virtio_lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
MV=${1:?metalvisor binary}
ELF=${2:?hostile.elf}
MTLVALIDATE=${3:-}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/validate_live.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0

fail() {
	echo "validate_live: FAIL: $1"
	sed 's/^/  stdout: /' "$TMP/out"
	sed 's/^/  stderr: /' "$TMP/err"
	fails=$((fails + 1))
}

# expect LINE-PATTERN (a grep -E pattern) in the host's log
expect() {
	grep -Eq -- "$1" "$TMP/err" || { fail "no log line matching: $1"; return 1; }
}

"$MV" --timeout 60 --validate --record "$TMP/bad.mtlrec" --append "attack=badshader" "$ELF" \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
ok=1
[ $rc -eq 0 ] || { fail "exit status $rc (expected 0)"; ok=0; }
grep -q "hostile: PASS" "$TMP/out" || { fail "guest did not report PASS"; ok=0; }
expect "validate: error \[shader\.compile-error\] frame 0, command 0 \(COMPILE_LIBRARY\), submission 0 queue 0 byte 0: library 0x1: 4:38: expected ';'" || ok=0
expect "validate: error \[shader\.function-missing\] frame 0, command 2 \(GET_FUNCTION\), submission 0 queue 0 byte [0-9]+: library 0x2 has no function 'main0'" || ok=0
expect "validate: error \[shader\.stage-mismatch\] frame 0, command 6 \(CREATE_RENDER_PIPELINE\), submission 0 queue 0 byte [0-9]+: fragment_fn 0x4 is 'vs', a vertex function" || ok=0
expect "validate: error \[shader\.stage-in-layout\] frame 0, command 7 \(CREATE_RENDER_PIPELINE\), submission 0 queue 0 byte [0-9]+: vertex function 'vs_int': stage_in member 'uv' \(9:[0-9]+\) is an integer type" || ok=0
expect "validate: error \[shader\.unbound-slot\] frame 0, command 11 \(DRAW_PRIMITIVES\), submission 1 queue 1 byte [0-9]+: fragment function 'fs' uses \[\[buffer\(0\)\]\] 'tint'" || ok=0
expect "validate: 5 error\(s\), 0 warning\(s\)" || ok=0
[ $ok -eq 1 ] && echo "validate_live: badshader --validate: ok ($(grep -c 'validate: error \[shader\.' "$TMP/err") shader findings)"

# Offline, the recording of that run: the same rules at the same commands
# and offsets (offsets within the submission).
if [ -n "$MTLVALIDATE" ] && [ -s "$TMP/bad.mtlrec" ]; then
	"$MTLVALIDATE" --json "$TMP/bad.mtlrec" >"$TMP/json" 2>&1
	st=$?
	ok=1
	[ $st -eq 1 ] || { fail "mtlvalidate exit $st on the recording (expected 1)"; ok=0; }
	for rule in shader.compile-error shader.function-missing shader.stage-mismatch shader.stage-in-layout \
		shader.unbound-slot; do
		live=$(grep -o "\[$rule\] frame 0, command [0-9]*.*byte [0-9]*" "$TMP/err" |
			sed 's/.*command \([0-9]*\) .* byte \([0-9]*\)/\1 \2/')
		cmd=${live% *}
		off=${live#* }
		grep -q "\"rule\":\"$rule\",\"severity\":\"error\",\"frame\":0,\"command\":$cmd,\"offset\":$off," \
			"$TMP/json" || { echo "  offline: no $rule at command $cmd offset $off"; cat "$TMP/json"; ok=0; }
	done
	if [ $ok -eq 1 ]; then
		echo "validate_live: the recording validated offline: same findings"
	else
		fails=$((fails + 1))
	fi
fi

# Without --validate the bad shaders are only ignored by the engine.
"$MV" --timeout 60 --append "attack=badshader" "$ELF" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] && grep -q "hostile: PASS" "$TMP/out" && ! grep -q "validate:" "$TMP/err"; then
	echo "validate_live: badshader without --validate: ok (no validator lines)"
else
	fail "without --validate: exit $rc, or validator lines in the log"
fi

[ $fails -eq 0 ] || { echo "validate_live: $fails check(s) failed"; exit 1; }
echo "validate_live: PASS"
