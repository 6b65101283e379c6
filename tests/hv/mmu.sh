#!/bin/sh
# mmu guest (examples/mmu): MMU and caches on with 4K-granule tables; GIC
# and timer interrupts (trapped ICC_* reads decoded from a virtual PC), PSCI
# CPU_ON of a second CPU that enables its MMU too, SGIs, two accesses to an
# unbacked PA delivered as synchronous external aborts at VBAR_EL1 + 0x200,
# a read and a write of VAs the tables leave unmapped delivered as
# translation faults, a permission fault and an access flag fault,
# instruction aborts (unbacked PA, unmapped VA), a TTBR1 (higher-half) alias read and executed from,
# then SYSTEM_OFF.  Without vectors (VBAR_EL1 = 0) the same access stops
# the machine with a message.
# usage: mmu.sh METALVISOR MMU.elf
set -u
mv=$1 elf=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err" "$out.lf"' EXIT
# The guest's UART driver ends lines with CR LF.
crlf() { tr -d '\r' <"$out" >"$out.lf" && mv "$out.lf" "$out"; }
fail() { echo "FAIL mmu: $*"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; exit 1; }

"$mv" --no-gpu --cpus 2 --timeout 5 --verbose "$elf" >"$out" 2>"$err"
rc=$?
crlf
[ $rc -eq 0 ] || fail "exit status $rc, expected 0 (PSCI SYSTEM_OFF)"
for line in \
	"mmu: cpu0 MMU on (SCTLR_EL1 0x[0-9a-f]*, 256 MiB of RAM mapped)" \
	"mmu: cpu0 timer ticks 3" \
	"mmu: PSCI version 1.0" \
	"mmu: cpu1 MMU on" \
	"mmu: cpu1 timer ticks 3" \
	"mmu: cpu0 got SGI 2 from cpu1" \
	"mmu: data abort on read: ESR 0x96000010 FAR 0x20000000, skipped" \
	"mmu: data abort on write: ESR 0x96000050 FAR 0x20000008, skipped" \
	"mmu: translation fault on read: ESR 0x96000006 FAR 0x60000000, skipped" \
	"mmu: translation fault on write: ESR 0x96000045 FAR 0x80000000, skipped" \
	"mmu: permission fault on write: ESR 0x9600004f, FAR is the page, skipped" \
	"mmu: access flag fault on read: ESR 0x9600000b, FAR is the page + 8, skipped" \
	"mmu: instruction abort: ESR 0x86000010 FAR 0x7fe00000, returned" \
	"mmu: instruction translation fault: ESR 0x86000006 FAR 0x60000000, returned" \
	"mmu: TTBR1 alias reads 0x600dcafe" \
	"mmu: ran at a TTBR1 address, ICC_PMR_EL1 0xf0" \
	"mmu: done"; do
	grep -qx "$line" "$out" || fail "no line '$line'"
done
grep -q "PANIC" "$out" && fail "the guest panicked"
# --verbose says what was delivered, with the faulting instruction as ELR.
grep -q "cpu0: read from unmapped address 0x20000000 (4 bytes) at PC 0x[0-9a-f]*: synchronous external abort to the guest, ESR_EL1 0x96000010 FAR_EL1 0x20000000$" "$err" ||
	fail "no --verbose line for the read abort"
grep -q "cpu0: write to unmapped address 0x20000008 (4 bytes) at PC 0x[0-9a-f]*: synchronous external abort to the guest, ESR_EL1 0x96000050 FAR_EL1 0x20000008$" "$err" ||
	fail "no --verbose line for the write abort"
grep -q "cpu0: data abort at PC 0x[0-9a-f]* on VA 0x60000000 (translation fault, level 2) delivered to the guest, ESR_EL1 0x96000006 FAR_EL1 0x60000000$" "$err" ||
	fail "no --verbose line for the translation fault"
grep -q "guest called PSCI SYSTEM_OFF" "$err" || fail "did not end with SYSTEM_OFF"

grep -qx "mmu: 4K granule" "$out" || fail "not the 4K granule by default"

# 16K and 64K granules: the same run, with walks from level 1 (16K) or of
# one level 2 (64K); VA 0x80000000 then faults at level 2.
for g in 16 64; do
	"$mv" --no-gpu --cpus 2 --timeout 5 --append granule=${g}k "$elf" >"$out" 2>"$err" ||
		fail "granule=${g}k: exit $?"
	crlf
	for line in "mmu: ${g}K granule" "mmu: cpu1 MMU on" "mmu: cpu0 timer ticks 3" "mmu: cpu1 timer ticks 3" \
		"mmu: cpu0 got SGI 2 from cpu1" \
		"mmu: data abort on read: ESR 0x96000010 FAR 0x20000000, skipped" \
		"mmu: translation fault on read: ESR 0x96000006 FAR 0x60000000, skipped" \
		"mmu: translation fault on write: ESR 0x96000046 FAR 0x80000000, skipped" \
		"mmu: ran at a TTBR1 address, ICC_PMR_EL1 0xf0" "mmu: done"; do
		grep -qx "$line" "$out" || fail "granule=${g}k: no line '$line'"
	done
done

# One CPU: no CPU_ON, the rest the same.
"$mv" --no-gpu --cpus 1 --timeout 5 "$elf" >"$out" 2>"$err" || fail "--cpus 1: exit $?"
crlf
grep -qx "mmu: done" "$out" || fail "--cpus 1: no final line"

# Two boots print the same bytes (virtual time, aborts included).
"$mv" --no-gpu --cpus 2 --timeout 5 "$elf" >"$out" 2>/dev/null
first=$(cksum <"$out")
"$mv" --no-gpu --cpus 2 --timeout 5 "$elf" >"$out" 2>/dev/null
[ "$first" = "$(cksum <"$out")" ] || fail "two boots printed different output"

# No vectors: the access stops the machine with exit 1 and says why.
"$mv" --no-gpu --cpus 1 --timeout 5 --append fault=novbar "$elf" >"$out" 2>"$err"
rc=$?
[ $rc -eq 1 ] || fail "fault=novbar: exit $rc, expected 1"
grep -q "cpu0: read from unmapped physical address 0x20000000 (4 bytes) at PC 0x[0-9a-f]* (no exception vectors: VBAR_EL1 is 0)" "$err" ||
	fail "fault=novbar: no stop message"
echo "PASS mmu: MMU on (2 CPUs; 4K, 16K, 64K granules), ICC_* and timer IRQs, PSCI CPU_ON, SGI, external aborts and translation, permission and access-flag faults (data and fetch) delivered, TTBR1 alias; deterministic; VBAR 0 stops"
