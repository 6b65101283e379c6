#!/bin/sh
# A guest that misbehaves stops the machine with a message saying what it
# did and where, and a documented exit status; metalvisor never crashes.
# usage: faults.sh METALVISOR SMP.elf
set -u
mv=$1 elf=$2
err=$(mktemp)
trap 'rm -f "$err"' EXIT
fails=0
expect() { # expect KIND STATUS PATTERN
	"$mv" --no-gpu --cpus 2 --timeout 5 --append "fault=$1" "$elf" >/dev/null 2>"$err"
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
expect unmapped 1 "cpu0: read from unmapped physical address 0x20000000 (4 bytes)"
expect svc 1 "cpu0: unhandled SVC (exception 2) at PC"
expect panic 4 "guest called PSCI SYSTEM_RESET"
[ $fails -eq 0 ] && echo "PASS faults"
exit $fails
