#!/bin/sh
# Guest instructions per second: examples/loop (10 instructions per
# iteration, one load and one store) under metalvisor (Unicorn backend,
# virtual time) against qemu-system-aarch64 TCG running the very same ELF
# in the same run; then the time from start to the first presented frame of
# examples/hello-triangle.  Best of $HV_BENCH_RUNS runs (default 3).
# usage: hv_ips.sh METALVISOR LOOP.elf [HELLO_TRIANGLE.elf]
set -u
mv=$1 loop=$2
tri=${3:-$(dirname "$loop")/hello-triangle.elf}
runs=${HV_BENCH_RUNS:-3}
iters=50000000 # LOOP_DEFAULT_ITERS in examples/loop/main.c (QEMU passes no bootargs)
insns=$((iters * 10))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
# best_time CMD...: the shortest wall time of $runs runs; fails if one fails
best_time() {
	best=""
	i=0
	while [ $i -lt "$runs" ]; do
		t0=$(now)
		"$@" >"$tmp/out" 2>"$tmp/err" || { echo "bench: '$*' failed:" >&2; cat "$tmp/err" >&2; return 1; }
		t1=$(now)
		t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
		if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
		i=$((i + 1))
	done
	echo "$best"
}

echo "== hv: guest instructions/s, $insns instructions of examples/loop, best of $runs"
t_mv=$(best_time "$mv" --no-gpu --cpus 1 "$loop") || exit 1
sum_mv=$(grep -o 'checksum [0-9a-f]*' "$tmp/out")
ver=$("$mv" --verbose --no-gpu --cpus 1 --append iters=1 "$loop" 2>&1 >/dev/null | sed -n 's/.*: \(unicorn [0-9.]*\) backend.*/\1/p')
mips() { awk -v n="$insns" -v t="$1" 'BEGIN { printf "%.0f", n / t / 1e6 }'; }
printf "metalvisor (%s)  %8.3f s  %6s M instructions/s  %s\n" "$ver" "$t_mv" "$(mips "$t_mv")" "$sum_mv"
if command -v qemu-system-aarch64 >/dev/null 2>&1; then
	t_q=$(best_time qemu-system-aarch64 -M virt -cpu cortex-a72 -m 256 -kernel "$loop" \
		-nographic -monitor none -serial stdio) || exit 1
	sum_q=$(grep -o 'checksum [0-9a-f]*' "$tmp/out")
	printf "qemu-system-aarch64 TCG  %8.3f s  %6s M instructions/s  %s\n" "$t_q" "$(mips "$t_q")" "$sum_q"
	[ "$sum_mv" = "$sum_q" ] || echo "bench: WARNING: checksums differ ($sum_mv vs $sum_q)"
	awk -v q="$t_q" -v m="$t_mv" 'BEGIN { printf "ratio metalvisor/QEMU instructions/s: %.2f\n", q / m }'
else
	echo "qemu-system-aarch64 not installed: no baseline (make deps)"
fi

if [ -f "$tri" ]; then
	echo "== hv: start to first presented frame (hello-triangle, --capture 0), best of $runs"
	t_f=$(best_time "$mv" --cpus 1 --capture 0 "$tmp/frame0.png" "$tri") || exit 1
	[ -s "$tmp/frame0.png" ] || { echo "bench: no frame written"; exit 1; }
	printf "metalvisor boot to first frame written: %.3f s\n" "$t_f"
else
	echo "hello-triangle.elf not built: no first-frame time"
fi
