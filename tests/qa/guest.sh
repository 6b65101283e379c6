#!/bin/sh
# tests/qa/guest.sh BUILD — an independent guest (tests/qa/guest: its own
# startup, virtio-mmio driver and split virtqueues, written from the virtio
# spec, not examples/common) submits each QA stream to metalvisor, its
# buffers scattered over up to three descriptors. The recording must hold
# exactly the stream's bytes and every captured frame must equal mtlreplay's
# capture of the raw stream.
set -u
B=${1:-build}
CROSS=${CROSS:-aarch64-linux-gnu-}
OUT=$B/qa/guest
fails=0
fail() { echo "qa-guest: FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$OUT" && mkdir -p "$OUT/streams" || exit 2
"$B/qa/gen_qa_streams" "$OUT/streams" || { echo "qa-guest: generator failed"; exit 1; }
# stream frames
for spec in ui-frame:0,1,2,3 blur-composite:0 stencil-clip:0 msaa-resolve:0 compute-path:0; do
	s=${spec%%:*}
	frames=${spec#*:}
	for mode in 0 1 2; do
		elf="$OUT/$s-m$mode.elf"
		vsync=
		[ $mode -eq 2 ] && vsync=-DQA_VSYNC
		${CROSS}gcc $vsync -std=c11 -O2 -ffreestanding -nostdlib -fno-builtin -fno-stack-protector -fno-pic -fno-pie \
			-march=armv8-a -mstrict-align -mgeneral-regs-only -Wall -Wextra -Werror -DQA_MODE=$mode \
			-DQA_STREAM_BIN="\"$OUT/streams/$s.bin\"" -static -no-pie -Wl,-T,tests/qa/guest/link.ld \
			-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
			-o "$elf" tests/qa/guest/start.S tests/qa/guest/guest.c -lgcc || { fail "cannot build $elf"; continue; }
		rec="$OUT/$s-m$mode.mtlrec"
		timeout 120 "$B/bin/metalvisor" --resolution 256x192 --record "$rec" "$elf" > "$OUT/$s-m$mode.log" 2>&1
		rc=$?
		[ $rc -eq 0 ] || fail "$s mode $mode: metalvisor exit $rc: $(tail -3 "$OUT/$s-m$mode.log")"
		grep -q "qa-guest: ok" "$OUT/$s-m$mode.log" || fail "$s mode $mode: guest did not finish: $(tail -3 "$OUT/$s-m$mode.log")"
		[ -z "$vsync" ] || grep -q "qa-guest: vsync 2" "$OUT/$s-m$mode.log" || fail "$s mode $mode: no vsyncs"
		"$B/bin/mtlrec" unpack "$rec" -o "$rec.bin" || fail "$s mode $mode: unpack"
		cmp -s "$rec.bin" "$OUT/streams/$s.bin" || fail "$s mode $mode: the recording differs from the bytes the guest sent"
	done
	elf="$OUT/$s-m0.elf"
	# --capture N PATH for one frame, --capture N,M,.. PREFIX (PREFIX-NNN.png) for several
	vm="$OUT/$s-vm" rp="$OUT/$s-replay"
	case $frames in *,*) ;; *) vm="$vm-$(printf %03d "$frames").png"; rp="$rp-$(printf %03d "$frames").png" ;; esac
	timeout 120 "$B/bin/metalvisor" --resolution 256x192 --capture "$frames" "$vm" "$elf" > /dev/null 2>&1 ||
		fail "$s: metalvisor --capture $frames"
	"$B/bin/mtlreplay" --quiet --resolution 256x192 --capture "$frames" "$rp" "$OUT/streams/$s.bin" ||
		fail "$s: mtlreplay"
	for f in $(echo "$frames" | tr , ' '); do
		n=$(printf %03d "$f")
		cmp -s "$OUT/$s-vm-$n.png" "$OUT/$s-replay-$n.png" || fail "$s frame $f: the VM's capture differs from the replay's"
	done
done
[ $fails -eq 0 ] && echo "qa-guest: ok" || echo "qa-guest: $fails failures"
[ $fails -eq 0 ]
