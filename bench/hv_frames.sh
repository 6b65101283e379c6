#!/bin/bash
# Guest frame rate of hello-triangle with and without --record (target:
# recording costs <= 5%), and the time from start to the first presented
# frame. Runs alternate (plain, recorded, plain, ...) REPEAT times in this
# same run and the best (minimum) of each counts, the least noisy estimate
# on a shared machine. Both wall time and CPU time (user + sys, all
# threads, including the recorder's compression thread) are reported; the
# ratio is given for both. Results: docs/BENCHMARKS.md, "virtio-metal and
# recording".
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
calc() { awk "BEGIN { print $* }"; }
min() { if [ -z "$1" ] || [ "$(calc "($2 < $1)")" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# measure CMD...: sets WALL and CPU (seconds) for one run
measure() {
	local TIMEFORMAT='%R %U %S' out
	out=$( { time "$@" >"$TMP/out" 2>"$TMP/err"; } 2>&1 ) ||
		{ echo "hv_frames: command failed: $*" >&2; cat "$TMP/err" >&2; exit 1; }
	set -- $out
	WALL=$1
	CPU=$(calc "$2 + $3")
}

pw="" pc="" rw="" rc="" fw="" fc=""
for ((i = 0; i < REPEAT; i++)); do
	measure "$MV" --timeout 600 --append "frames=$FRAMES" "$ELF"
	pw=$(min "$pw" "$WALL"); pc=$(min "$pc" "$CPU")
	measure "$MV" --timeout 600 --append "frames=$FRAMES" --record "$TMP/r.mtlrec" "$ELF"
	rw=$(min "$rw" "$WALL"); rc=$(min "$rc" "$CPU")
	measure "$MV" --timeout 600 --capture 0 "$TMP/f0.png" "$ELF"
	fw=$(min "$fw" "$WALL"); fc=$(min "$fc" "$CPU")
done
recsize=$(wc -c <"$TMP/r.mtlrec")

printf 'hv_frames: hello-triangle, %d frames, best of %d, load average %s\n' "$FRAMES" "$REPEAT" \
	"$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
printf '  without --record   wall %7.3f s (%6.2f frames/s)   cpu %7.3f s\n' "$pw" "$(calc "$FRAMES / $pw")" "$pc"
printf '  with --record      wall %7.3f s (%6.2f frames/s)   cpu %7.3f s   recording %d bytes\n' \
	"$rw" "$(calc "$FRAMES / $rw")" "$rc" "$recsize"
printf '  ratio with/without wall %.3f (%+.1f%%)   cpu %.3f (%+.1f%%)   target <= +5%%\n' \
	"$(calc "$rw / $pw")" "$(calc "($rw / $pw - 1) * 100")" "$(calc "$rc / $pc")" "$(calc "($rc / $pc - 1) * 100")"
printf '  start to first presented frame (boot, setup, frame 0, PNG): wall %.3f s, cpu %.3f s\n' "$fw" "$fc"
