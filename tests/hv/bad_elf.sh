#!/bin/sh
# Bad kernels are refused with a message naming the problem and exit 2,
# and never crash metalvisor.
# usage: bad_elf.sh METALVISOR GOOD.elf WORKDIR
set -u
mv=$1 good=$2 dir=$3
mkdir -p "$dir"
fails=0

# patch FILE OFFSET BYTES...: overwrite bytes (given as octal escapes) in place
patch() {
	f=$1 off=$2
	shift 2
	printf "$*" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
}

expect() { # expect NAME FILE PATTERN
	name=$1 file=$2 pattern=$3
	"$mv" --no-gpu --cpus 1 --timeout 2 "$file" >"$dir/$name.out" 2>"$dir/$name.err"
	rc=$?
	if [ $rc -ne 2 ]; then
		echo "FAIL bad_elf $name: exit status $rc, expected 2"; fails=$((fails + 1)); return
	fi
	if ! grep -q -- "$pattern" "$dir/$name.err"; then
		echo "FAIL bad_elf $name: message does not say '$pattern':"; cat "$dir/$name.err"
		fails=$((fails + 1)); return
	fi
	echo "ok   bad_elf $name: $(head -n 1 "$dir/$name.err")"
}

echo "this is not a kernel" >"$dir/text.elf"
expect not-elf "$dir/text.elf" "not an ELF file"

: >"$dir/empty.elf"
expect empty "$dir/empty.elf" "not an ELF file"

expect missing "$dir/does-not-exist.elf" "cannot open"

cp "$good" "$dir/x86.elf"; patch "$dir/x86.elf" 18 '\076\000'   # EM_X86_64 = 62
expect wrong-machine "$dir/x86.elf" "wrong machine 62 (x86-64)"

cp "$good" "$dir/elf32.elf"; patch "$dir/elf32.elf" 4 '\001'        # ELFCLASS32
expect 32-bit "$dir/elf32.elf" "32-bit ELF"

cp "$good" "$dir/be.elf"; patch "$dir/be.elf" 5 '\002'              # ELFDATA2MSB
expect big-endian "$dir/be.elf" "big-endian"

head -c 40 "$good" >"$dir/trunc-header.elf"
expect truncated-header "$dir/trunc-header.elf" "truncated ELF header"

head -c 100 "$good" >"$dir/trunc-phdr.elf"
expect truncated-phdrs "$dir/trunc-phdr.elf" "truncated file"

head -c 2000 "$good" >"$dir/trunc-data.elf"
expect truncated-data "$dir/trunc-data.elf" "truncated file: segment 0"

# First program header at 64: p_paddr at 64+24 = 88 (little-endian u64).
cp "$good" "$dir/low.elf"; patch "$dir/low.elf" 88 '\000\020\000\000\000\000\000\000'   # 0x1000
expect outside-ram-low "$dir/low.elf" "outside guest RAM"

cp "$good" "$dir/high.elf"; patch "$dir/high.elf" 88 '\000\000\000\200\000\000\000\000' # 0x80000000
expect outside-ram-high "$dir/high.elf" "outside guest RAM"

cp "$good" "$dir/dtb.elf"; patch "$dir/dtb.elf" 88 '\000\000\000\100\000\000\000\000'   # 0x40000000
expect over-dtb "$dir/dtb.elf" "overlaps the DTB area"

# Two PT_LOAD headers at the same address: copy phdr 0 over phdr 1 and
# set e_phnum = 2 (the copy stays inside the file's first page).
cp "$good" "$dir/overlap.elf"
dd if="$good" of="$dir/overlap.elf" bs=1 skip=64 seek=120 count=56 conv=notrunc 2>/dev/null
patch "$dir/overlap.elf" 56 '\002\000'
expect overlapping "$dir/overlap.elf" "segments 0 and 1 overlap"

# The good kernel still boots.
"$mv" --no-gpu --cpus 1 --append iters=1000 "$good" >"$dir/good.out" 2>&1 || {
	echo "FAIL bad_elf: the unmodified kernel does not boot"; fails=$((fails + 1)); }

[ $fails -eq 0 ] && echo "PASS bad_elf: every bad kernel refused with exit 2 and a message"
exit $fails
