#!/bin/sh
# Virtual time makes a boot reproducible: the same kernel twice gives
# byte-identical UART output, including the guest's counter readings.
# usage: determinism.sh METALVISOR KERNEL.elf
set -u
mv=$1 elf=$2
a=$(mktemp) b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT
"$mv" --no-gpu --cpus 4 --timeout 5 "$elf" >"$a" 2>/dev/null || { echo "FAIL determinism: first run exit $?"; exit 1; }
"$mv" --no-gpu --cpus 4 --timeout 5 "$elf" >"$b" 2>/dev/null || { echo "FAIL determinism: second run exit $?"; exit 1; }
[ -s "$a" ] || { echo "FAIL determinism: no UART output"; exit 1; }
grep -q "at counter [0-9]" "$a" || { echo "FAIL determinism: no counter reading in the output"; cat "$a"; exit 1; }
if ! cmp -s "$a" "$b"; then
	echo "FAIL determinism: two boots differ"
	diff "$a" "$b" | head -20
	exit 1
fi
echo "PASS determinism: two boots, $(wc -c <"$a") identical bytes ($(grep -o 'at counter [0-9]*' "$a"))"
