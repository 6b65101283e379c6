/* test_hv_elf.c - the ELF64 loader: good images, and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <elf.h>

#include "elf_load.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (4u << 20)
#define DTB_SIZE 0x10000u

static uint8_t ram[RAM_SIZE];
static uint8_t file[1 << 16];
static char err[512];

struct seg {
	uint32_t type;
	uint64_t vaddr, paddr, filesz, memsz, offset;
};

/* Build an ELF64 AArch64 executable with the given program headers; file
 * data for each segment is a byte pattern (0x10 + index). */
static size_t make_elf(uint64_t entry, const struct seg *segs, unsigned n)
{
	memset(file, 0, sizeof file);
	Elf64_Ehdr eh = { 0 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = entry;
	eh.e_phoff = sizeof eh;
	eh.e_ehsize = sizeof eh;
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)n;
	memcpy(file, &eh, sizeof eh);
	size_t end = sizeof eh + n * sizeof(Elf64_Phdr);
	for (unsigned i = 0; i < n; i++) {
		Elf64_Phdr ph = { 0 };
		ph.p_type = segs[i].type;
		ph.p_flags = PF_R | PF_X;
		ph.p_vaddr = segs[i].vaddr;
		ph.p_paddr = segs[i].paddr;
		ph.p_filesz = segs[i].filesz;
		ph.p_memsz = segs[i].memsz;
		ph.p_offset = segs[i].offset;
		memcpy(file + sizeof eh + i * sizeof ph, &ph, sizeof ph);
		if (segs[i].offset + segs[i].filesz <= sizeof file) {
			memset(file + segs[i].offset, 0x10 + (int)i, segs[i].filesz);
			if (segs[i].offset + segs[i].filesz > end)
				end = segs[i].offset + segs[i].filesz;
		}
	}
	return end;
}

static int load(size_t size, struct elf_result *r)
{
	struct elf_target t = { ram, RAM_BASE, RAM_SIZE, RAM_BASE, DTB_SIZE };
	err[0] = '\0';
	return elf_load(file, size, &t, r, err, sizeof err);
}

static void expect_error(size_t size, const char *needle)
{
	struct elf_result r;
	memset(ram, 0xAA, sizeof ram);
	assert_int_equal(load(size, &r), -1);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not contain '%s'", err, needle);
	/* Nothing was written before the refusal. */
	for (size_t i = 0; i < RAM_SIZE; i += 4096)
		assert_int_equal(ram[i], 0xAA);
}

static void test_loads_segments_and_bss(void **state)
{
	struct seg s[2] = {
		{ PT_LOAD, 0x40200000, 0x40200000, 0x100, 0x100, 0x1000 },
		{ PT_LOAD, 0x40300000, 0x40300000, 0x80, 0x2000, 0x2000 },
	};
	size_t n = make_elf(0x40200010, s, 2);
	memset(ram, 0xAA, sizeof ram);
	struct elf_result r;
	assert_int_equal(load(n, &r), 0);
	assert_int_equal(r.entry, 0x40200010);
	assert_int_equal(r.nsegments, 2);
	assert_int_equal(r.lowest, 0x40200000);
	assert_int_equal(r.highest, 0x40302000);
	assert_int_equal(ram[0x200000], 0x10);
	assert_int_equal(ram[0x2000FF], 0x10);
	assert_int_equal(ram[0x200100], 0xAA); /* past memsz: untouched */
	assert_int_equal(ram[0x30007F], 0x11);
	assert_int_equal(ram[0x300080], 0); /* bss zeroed */
	assert_int_equal(ram[0x301FFF], 0);
}

static void test_virtual_entry_goes_through_its_segment(void **state)
{
	struct seg s[1] = { { PT_LOAD, 0xffff000000080000ull, 0x40280000, 0x100, 0x100, 0x1000 } };
	size_t n = make_elf(0xffff000000080040ull, s, 1);
	struct elf_result r;
	assert_int_equal(load(n, &r), 0);
	assert_int_equal(r.entry, 0x40280040);
}

static void test_physical_entry_accepted(void **state)
{
	struct seg s[1] = { { PT_LOAD, 0xffff000000080000ull, 0x40280000, 0x100, 0x100, 0x1000 } };
	size_t n = make_elf(0x40280008, s, 1);
	struct elf_result r;
	assert_int_equal(load(n, &r), 0);
	assert_int_equal(r.entry, 0x40280008);
}

static void test_non_load_headers_ignored(void **state)
{
	struct seg s[2] = {
		{ PT_GNU_STACK, 0, 0, 0, 0, 0 },
		{ PT_LOAD, 0x40200000, 0x40200000, 0x10, 0x10, 0x1000 },
	};
	struct elf_result r;
	assert_int_equal(load(make_elf(0x40200000, s, 2), &r), 0);
	assert_int_equal(r.nsegments, 1);
}

static const struct seg one = { PT_LOAD, 0x40200000, 0x40200000, 0x100, 0x100, 0x1000 };

static void test_not_elf(void **state)
{
	memcpy(file, "#!/bin/sh\necho hi\n", 18);
	expect_error(18, "not an ELF file");
	expect_error(0, "not an ELF file");
}

static void test_32bit(void **state)
{
	size_t n = make_elf(0x40200000, &one, 1);
	file[EI_CLASS] = ELFCLASS32;
	expect_error(n, "32-bit ELF");
}

static void test_big_endian(void **state)
{
	size_t n = make_elf(0x40200000, &one, 1);
	file[EI_DATA] = ELFDATA2MSB;
	expect_error(n, "big-endian");
}

static void test_wrong_machine(void **state)
{
	size_t n = make_elf(0x40200000, &one, 1);
	file[18] = EM_X86_64;
	expect_error(n, "wrong machine 62 (x86-64)");
	file[18] = EM_ARM;
	expect_error(n, "32-bit Arm");
}

static void test_not_executable(void **state)
{
	size_t n = make_elf(0x40200000, &one, 1);
	file[16] = ET_REL;
	expect_error(n, "not an executable");
}

static void test_truncated(void **state)
{
	size_t n = make_elf(0x40200000, &one, 1);
	expect_error(40, "truncated ELF header");
	expect_error(sizeof(Elf64_Ehdr) + 10, "truncated file: 1 program headers");
	expect_error(n - 1, "truncated file: segment 0");
}

static void test_filesz_over_memsz(void **state)
{
	struct seg s = one;
	s.memsz = 0x80;
	expect_error(make_elf(0x40200000, &s, 1), "p_filesz 0x100 is larger than p_memsz 0x80");
}

static void test_outside_ram(void **state)
{
	struct seg s = one;
	s.paddr = s.vaddr = 0x1000;
	expect_error(make_elf(0x1000, &s, 1), "outside guest RAM");
	s.paddr = s.vaddr = RAM_BASE + RAM_SIZE - 0x80; /* straddles the end */
	expect_error(make_elf(s.paddr, &s, 1), "outside guest RAM");
	s.paddr = s.vaddr = 0xFFFFFFFFFFFFFF00ull; /* wraps around */
	s.memsz = 0x200;
	expect_error(make_elf(s.paddr, &s, 1), "outside guest RAM");
}

static void test_over_dtb(void **state)
{
	struct seg s = one;
	s.paddr = s.vaddr = RAM_BASE + DTB_SIZE - 0x10;
	expect_error(make_elf(s.paddr, &s, 1), "overlaps the DTB area");
}

static void test_overlapping_segments(void **state)
{
	struct seg s[3] = {
		{ PT_LOAD, 0x40200000, 0x40200000, 0x100, 0x1000, 0x1000 },
		{ PT_LOAD, 0x40300000, 0x40300000, 0x100, 0x100, 0x2000 },
		{ PT_LOAD, 0x40200800, 0x40200800, 0x100, 0x100, 0x3000 },
	};
	expect_error(make_elf(0x40200000, s, 3), "segments 0 and 2 overlap");
}

static void test_no_load_segment(void **state)
{
	struct seg s = { PT_NOTE, 0, 0, 0x10, 0x10, 0x1000 };
	expect_error(make_elf(0x40200000, &s, 1), "no PT_LOAD segment");
	memset(file, 0, sizeof file);
	size_t n = make_elf(0x40200000, &one, 1);
	file[56] = 0; /* e_phnum = 0 */
	expect_error(n, "no program headers");
}

static void test_bad_entry(void **state)
{
	expect_error(make_elf(0x50000000, &one, 1), "entry point 0x50000000 is not inside any PT_LOAD");
	expect_error(make_elf(0x40200002, &one, 1), "not 4-byte aligned");
}

/* Random corruption of the headers of a good image: every result is a
 * clean load or a clean refusal (the sanitizer pass watches for the rest). */
static void test_random_corruption_is_safe(void **state)
{
	struct seg s[2] = {
		{ PT_LOAD, 0x40200000, 0x40200000, 0x100, 0x100, 0x1000 },
		{ PT_LOAD, 0x40300000, 0x40300000, 0x80, 0x2000, 0x2000 },
	};
	uint64_t x = 0x243F6A8885A308D3ull;
	unsigned ok = 0, refused = 0;
	for (int i = 0; i < 20000; i++) {
		size_t n = make_elf(0x40200010, s, 2);
		for (int k = 0; k < 1 + (int)(x & 3); k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			file[(x >> 8) % (sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr))] = (uint8_t)(x >> 32);
		}
		size_t len = (x >> 50) & 1 ? n : (size_t)((x >> 20) % (n + 1));
		struct elf_result r;
		if (load(len, &r) == 0) {
			ok++;
			assert_true(r.entry >= RAM_BASE && r.entry < RAM_BASE + RAM_SIZE);
		} else {
			refused++;
			assert_true(err[0] != '\0');
		}
	}
	assert_true(ok > 0 && refused > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_segments_and_bss),
		cmocka_unit_test(test_virtual_entry_goes_through_its_segment),
		cmocka_unit_test(test_physical_entry_accepted),
		cmocka_unit_test(test_non_load_headers_ignored),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_32bit),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_wrong_machine),
		cmocka_unit_test(test_not_executable),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_filesz_over_memsz),
		cmocka_unit_test(test_outside_ram),
		cmocka_unit_test(test_over_dtb),
		cmocka_unit_test(test_overlapping_segments),
		cmocka_unit_test(test_no_load_segment),
		cmocka_unit_test(test_bad_entry),
		cmocka_unit_test(test_random_corruption_is_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
