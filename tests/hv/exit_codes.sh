#!/bin/sh
# metalvisor's exit statuses (docs/HYPERVISOR.md): 0 power-off, 2 usage or
# bad kernel, 3 timeout; --help exits 0.
# usage: exit_codes.sh METALVISOR LOOP.elf
set -u
mv=$1 loop=$2
fails=0
check() { # check EXPECTED DESCRIPTION ARGS...
	want=$1 what=$2
	shift 2
	"$mv" "$@" >/dev/null 2>&1
	got=$?
	if [ $got -ne $want ]; then
		echo "FAIL exit_codes: $what: exit $got, expected $want"; fails=$((fails + 1))
	else
		echo "ok   exit_codes: $what -> $got"
	fi
}
check 0 "--help" --help
check 2 "no kernel" --no-gpu
check 2 "unknown option" --bogus "$loop"
check 2 "--cpus 0" --cpus 0 "$loop"
check 2 "--cpus 9" --cpus 9 "$loop"
check 2 "--ram abc" --ram abc "$loop"
check 2 "--resolution 10" --resolution 10 "$loop"
check 2 "--capture without path" --capture 3
check 2 "two kernels" "$loop" "$loop"
check 0 "power-off" --no-gpu --cpus 1 --append iters=1000 "$loop"
# 10^9 iterations take ~10 s of guest time: a 1 ms timeout stops it.
check 3 "timeout" --no-gpu --cpus 1 --timeout 0.001 --append iters=1000000000 "$loop"
# With --realtime the timeout is host time.
check 3 "timeout, realtime" --no-gpu --cpus 1 --realtime --timeout 0.2 --append iters=100000000000 "$loop"
# SIGTERM stops the guest cleanly: 128 + 15.  (The guest would run for
# minutes, so the signal always arrives while it runs.)
"$mv" --no-gpu --cpus 1 --append iters=100000000000 "$loop" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -TERM $pid
wait $pid
got=$?
if [ $got -ne 143 ]; then
	echo "FAIL exit_codes: SIGTERM: exit $got, expected 143"; fails=$((fails + 1))
else
	echo "ok   exit_codes: SIGTERM -> 143"
fi
[ $fails -eq 0 ] && echo "PASS exit_codes"
exit $fails
