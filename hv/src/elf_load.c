/* elf_load.c - ELF64 AArch64 loader (System V gABI + the AArch64 ELF ABI). */
#include "elf_load.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGMENTS 64

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* [a, a+alen) and [b, b+blen) intersect (both lengths > 0, no overflow). */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386: return "x86";
	case EM_X86_64: return "x86-64";
	case EM_ARM: return "32-bit Arm";
	case EM_RISCV: return "RISC-V";
	case EM_PPC64: return "PowerPC64";
	default: return "unknown";
	}
}

int elf_load(const uint8_t *file, size_t size, const struct elf_target *t, struct elf_result *r,
	     char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	if (size < EI_NIDENT || memcmp(file, ELFMAG, SELFMAG) != 0)
		return fail(err, errlen, "not an ELF file (no 0x7f 'E' 'L' 'F' magic at offset 0)");
	if (file[EI_CLASS] != ELFCLASS64)
		return fail(err, errlen,
			    "32-bit ELF (EI_CLASS %u at offset 4): an AArch64 kernel must be ELF64",
			    file[EI_CLASS]);
	if (file[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, "big-endian ELF (EI_DATA %u at offset 5): expected little-endian",
			    file[EI_DATA]);
	if (size < sizeof eh)
		return fail(err, errlen, "truncated ELF header: file has %zu bytes, the header needs %zu",
			    size, sizeof eh);
	memcpy(&eh, file, sizeof eh);
	if (eh.e_machine != EM_AARCH64)
		return fail(err, errlen, "wrong machine %u (%s) at offset 18: expected AArch64 (%u)",
			    eh.e_machine, machine_name(eh.e_machine), EM_AARCH64);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return fail(err, errlen, "ELF type %u is not an executable (ET_EXEC or ET_DYN)", eh.e_type);
	if (eh.e_phnum == 0)
		return fail(err, errlen, "no program headers: nothing to load");
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return fail(err, errlen, "program header size %u, expected %zu", eh.e_phentsize,
			    sizeof(Elf64_Phdr));
	uint64_t ph_end = (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
	if (eh.e_phoff > size || ph_end > size - eh.e_phoff)
		return fail(err, errlen,
			    "truncated file: %u program headers at offset %" PRIu64
			    " end past the file's %zu bytes",
			    eh.e_phnum, (uint64_t)eh.e_phoff, size);

	Elf64_Phdr load[MAX_SEGMENTS];
	unsigned idx[MAX_SEGMENTS], n = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, file + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (n == MAX_SEGMENTS)
			return fail(err, errlen, "more than %d PT_LOAD segments", MAX_SEGMENTS);
		if (ph.p_filesz > ph.p_memsz)
			return fail(err, errlen,
				    "segment %u: p_filesz 0x%" PRIx64 " is larger than p_memsz 0x%" PRIx64,
				    i, (uint64_t)ph.p_filesz, (uint64_t)ph.p_memsz);
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
			return fail(err, errlen,
				    "truncated file: segment %u's data [0x%" PRIx64 ", +0x%" PRIx64
				    ") ends past the file's %zu bytes",
				    i, (uint64_t)ph.p_offset, (uint64_t)ph.p_filesz, size);
		uint64_t ram_end = t->ram_base + t->ram_size;
		if (ph.p_paddr < t->ram_base || ph.p_paddr >= ram_end ||
		    ph.p_memsz > ram_end - ph.p_paddr)
			return fail(err, errlen,
				    "segment %u at physical 0x%" PRIx64 " (size 0x%" PRIx64
				    ") is outside guest RAM [0x%" PRIx64 ", 0x%" PRIx64 ")",
				    i, (uint64_t)ph.p_paddr, (uint64_t)ph.p_memsz, t->ram_base, ram_end);
		if (overlaps(ph.p_paddr, ph.p_memsz, t->reserved_base, t->reserved_size))
			return fail(err, errlen,
				    "segment %u at physical 0x%" PRIx64 " (size 0x%" PRIx64
				    ") overlaps the DTB area [0x%" PRIx64 ", 0x%" PRIx64
				    "): link the kernel above it",
				    i, (uint64_t)ph.p_paddr, (uint64_t)ph.p_memsz, t->reserved_base,
				    t->reserved_base + t->reserved_size);
		for (unsigned j = 0; j < n; j++)
			if (overlaps(ph.p_paddr, ph.p_memsz, load[j].p_paddr, load[j].p_memsz))
				return fail(err, errlen,
					    "segments %u and %u overlap in physical memory "
					    "(0x%" PRIx64 "+0x%" PRIx64 " and 0x%" PRIx64 "+0x%" PRIx64 ")",
					    idx[j], i, (uint64_t)load[j].p_paddr,
					    (uint64_t)load[j].p_memsz, (uint64_t)ph.p_paddr,
					    (uint64_t)ph.p_memsz);
		load[n] = ph;
		idx[n] = i;
		n++;
	}
	if (n == 0)
		return fail(err, errlen, "no PT_LOAD segment with a non-zero size");

	/* Entry: a VA inside a segment maps through it; else it must be a PA. */
	uint64_t entry = UINT64_MAX;
	for (unsigned j = 0; j < n && entry == UINT64_MAX; j++)
		if (eh.e_entry >= load[j].p_vaddr && eh.e_entry - load[j].p_vaddr < load[j].p_memsz)
			entry = load[j].p_paddr + (eh.e_entry - load[j].p_vaddr);
	for (unsigned j = 0; j < n && entry == UINT64_MAX; j++)
		if (eh.e_entry >= load[j].p_paddr && eh.e_entry - load[j].p_paddr < load[j].p_memsz)
			entry = eh.e_entry;
	if (entry == UINT64_MAX)
		return fail(err, errlen, "entry point 0x%" PRIx64 " is not inside any PT_LOAD segment",
			    (uint64_t)eh.e_entry);
	if (entry & 3)
		return fail(err, errlen, "entry point 0x%" PRIx64 " is not 4-byte aligned", entry);

	r->lowest = UINT64_MAX;
	r->highest = 0;
	for (unsigned j = 0; j < n; j++) {
		uint8_t *dst = (uint8_t *)t->ram + (load[j].p_paddr - t->ram_base);
		memcpy(dst, file + load[j].p_offset, load[j].p_filesz);
		memset(dst + load[j].p_filesz, 0, load[j].p_memsz - load[j].p_filesz);
		if (load[j].p_paddr < r->lowest)
			r->lowest = load[j].p_paddr;
		if (load[j].p_paddr + load[j].p_memsz > r->highest)
			r->highest = load[j].p_paddr + load[j].p_memsz;
	}
	r->entry = entry;
	r->nsegments = n;
	return 0;
}

uint8_t *elf_read_file(const char *path, size_t *size, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fail(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
		if (len == cap) {
			if (cap >= (size_t)1 << 30) {
				fail(err, errlen, "file larger than 1 GiB");
				free(buf);
				fclose(f);
				return NULL;
			}
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf) {
		fail(err, errlen, "out of memory");
		fclose(f);
		return NULL;
	}
	if (ferror(f)) {
		fail(err, errlen, "read error: %s", strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = len;
	return buf;
}
