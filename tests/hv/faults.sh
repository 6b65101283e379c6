#!/bin/sh
# A guest that misbehaves stops the machine with a message saying what it
# did and where, and a documented exit status; metalvisor never crashes.
# usage: faults.sh METALVISOR SMP.elf
set -u
mv=$1 elf=$2
err=$(mktemp) out=$(mktemp)
trap 'rm -f "$err" "$out"' EXIT
fails=0
expect() { # expect KIND STATUS PATTERN
	"$mv" --no-gpu --cpus 2 --timeout 5 --append "fault=$1" "$elf" >"$out" 2>"$err"
	rc=$?
	if [ $rc -ne "$2" ]; then
		echo "FAIL faults $1: exit $rc, expected $2"; cat "$err"; fails=$((fails + 1)); return
	fi
	if ! grep -q -- "$3" "$err"; then
		echo "FAIL faults $1: stderr does not say '$3':"; cat "$err"; fails=$((fails + 1)); return
	fi
	echo "ok   faults $1 -> $rc: $(grep -- "$3" "$err" | head -n 1)"
}
expect undef 1 "cpu0: undefined instruction 0xd538f000 at PC 0x.* (system register op0=3 op1=0 CRn=15 CRm=0 op2=0 not emulated)"
# A load from a PA with nothing behind it is a synchronous external abort
# delivered to the guest's vectors (ESR_EL1 EC 0x25, DFSC 0x10, FAR_EL1 =
# the address); this guest has no handler for it and panics.
expect unmapped 4 "guest called PSCI SYSTEM_RESET"
grep -q "unexpected sync exception (vector 4): ESR=0x96000010 ELR=0x[0-9a-f]* FAR=0x20000000" "$out" ||
	{ echo "FAIL faults unmapped: the guest did not see the data abort"; cat "$out"; fails=$((fails + 1)); }
expect brk 4 "guest called PSCI SYSTEM_RESET"
grep -q "unexpected sync exception (vector 4): ESR=0xf2000007" "$out" ||
	{ echo "FAIL faults brk: the guest did not see ESR 0xf2000007"; cat "$out"; fails=$((fails + 1)); }

# An SVC is delivered to the guest's vectors (ESR EC 0x15, imm16), handled,
# and the guest carries on to a normal power-off.
"$mv" --no-gpu --cpus 2 --timeout 5 --append fault=svc "$elf" >"$out" 2>"$err"
rc=$?
if [ $rc -ne 0 ] || ! grep -q "SVC #0x42 taken and returned, x0 = 0x5c0042" "$out" ||
	! grep -q "all 2 CPUs reported" "$out"; then
	echo "FAIL faults svc: exit $rc"; cat "$out" "$err"; fails=$((fails + 1))
else
	echo "ok   faults svc -> 0: $(grep 'SVC #0x42' "$out")"
fi
expect panic 4 "guest called PSCI SYSTEM_RESET"
[ $fails -eq 0 ] && echo "PASS faults"
exit $fails
