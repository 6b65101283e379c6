#!/bin/sh
# Guest frame rate of hello-triangle with and without --record (target:
# recording costs <= 5%), and the time from start to the first presented
# frame. Each configuration runs REPEAT times in this same run; the best
# (minimum) wall time counts, which is the least noisy estimate on a shared
# machine. Results: docs/BENCHMARKS.md, "virtio-metal and recording".
#
# Usage: hv_frames.sh METALVISOR HELLO_ELF [FRAMES] [REPEAT]
# Frame rate is frames per host second: guest time is virtual and WFI skips
# ahead to the next vsync, so the rate is bounded by the host's work
# (emulating the guest, rendering 4x MSAA 1024x768, recording), not 60 Hz.
set -u
MV=${1:?metalvisor binary}
ELF=${2:?hello-triangle.elf}
FRAMES=${3:-120}
REPEAT=${4:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hv_frames.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
# best_of CMD...: the minimum wall time over REPEAT runs, in seconds
best_of() {
	best=""
	i=0
	while [ $i -lt "$REPEAT" ]; do
		t0=$(now)
		"$@" >"$TMP/out" 2>"$TMP/err" || { echo "hv_frames: command failed: $*" >&2; cat "$TMP/err" >&2; exit 1; }
		t1=$(now)
		t=$(calc "$t1 - $t0")
		if [ -z "$best" ] || [ "$(calc "($t < $best)")" = 1 ]; then best=$t; fi
		i=$((i + 1))
	done
	echo "$best"
}

plain=$(best_of "$MV" --timeout 600 --append "frames=$FRAMES" "$ELF")
rec=$(best_of "$MV" --timeout 600 --append "frames=$FRAMES" --record "$TMP/r.mtlrec" "$ELF")
first=$(best_of "$MV" --timeout 600 --capture 0 "$TMP/f0.png" "$ELF")
recsize=$(wc -c <"$TMP/r.mtlrec")

fps_plain=$(calc "$FRAMES / $plain")
fps_rec=$(calc "$FRAMES / $rec")
slow=$(calc "($rec / $plain - 1) * 100")
printf 'hv_frames: hello-triangle, %d frames, best of %d\n' "$FRAMES" "$REPEAT"
printf '  without --record   %8.3f s  %7.2f frames/s\n' "$plain" "$fps_plain"
printf '  with --record      %8.3f s  %7.2f frames/s  (recording %d bytes)\n' "$rec" "$fps_rec" "$recsize"
printf '  ratio with/without %8.3f  (%+.1f%%; target <= +5%%)\n' "$(calc "$rec / $plain")" "$slow"
printf '  start to first presented frame (boot + setup + frame 0 + PNG): %.3f s\n' "$first"
