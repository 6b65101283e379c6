#!/bin/sh
# smp guest with --cpus 4: every CPU comes online, takes its timer
# interrupts and an SGI, and the guest powers off (exit 0).
# usage: smp.sh METALVISOR SMP.elf
set -u
mv=$1 elf=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
fail() { echo "FAIL smp: $*"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; exit 1; }

"$mv" --no-gpu --cpus 4 --timeout 5 "$elf" >"$out" 2>"$err"
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc, expected 0 (PSCI SYSTEM_OFF)"
for c in 0 1 2 3; do
	grep -q "^smp: cpu $c online (mpidr 0x8000000$c)" "$out" || fail "cpu $c did not report online"
	grep -q "^smp: cpu $c timer ticks 3" "$out" || fail "cpu $c did not take 3 timer interrupts"
	from=$(( (c + 3) % 4 ))
	grep -q "^smp: cpu $c got SGI from $from" "$out" || fail "cpu $c did not get the SGI from cpu $from"
done
grep -q "^smp: 4 CPUs, PSCI 1.0" "$out" || fail "DTB CPU count or PSCI version wrong"
grep -q "^smp: all 4 CPUs reported" "$out" || fail "no final report"
[ "$(grep -c online "$out")" -eq 4 ] || fail "more than 4 CPUs came online"

# --cpus 1 and 2 boot too (CPU count comes from the DTB).
for n in 1 2; do
	"$mv" --no-gpu --cpus $n --timeout 5 "$elf" >"$out" 2>"$err" || fail "--cpus $n: exit $?"
	grep -q "^smp: all $n CPUs reported" "$out" || fail "--cpus $n: no final report"
done
# UART input: stdin is a pipe, the guest reads it with the RX interrupt.
printf 'hello' | "$mv" --no-gpu --cpus 1 --timeout 5 --append echo=5 "$elf" >"$out" 2>"$err" ||
	fail "UART echo: exit $?"
grep -q "^smp: got 'hello'" "$out" || fail "UART input from a pipe did not reach the guest"
echo "PASS smp: 4 CPUs online, timer ticks and SGI ring on each; --cpus 1 and 2 too; UART input from a pipe"
