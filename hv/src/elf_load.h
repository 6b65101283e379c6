/*
elf_load.h - load an ELF64 AArch64 kernel image into guest RAM.
 *
 * PT_LOAD segments go to p_paddr (file bytes, then zeros up to p_memsz).
 * The entry point may be a virtual address: it is turned into a physical one
 * through the PT_LOAD segment whose [p_vaddr, p_vaddr+p_memsz) holds it.
 * Every check happens before anything is written, and each failure says
 * what is wrong and where (segment index, addresses, file offsets).
 */
#ifndef HV_ELF_LOAD_H
#define HV_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

struct elf_target {
	void *ram; /* host pointer to guest RAM */
	uint64_t ram_base, ram_size;
	/* [reserved_base, reserved_base+reserved_size) must stay free (the DTB). */
	uint64_t reserved_base, reserved_size;
};

struct elf_result {
	uint64_t entry; /* physical entry address */
	uint64_t lowest, highest; /* physical range the segments occupy */
	unsigned nsegments;
};

/* Load `file` (size bytes).  0 on success; -1 with a message in err. */
int elf_load(const uint8_t *file, size_t size, const struct elf_target *t, struct elf_result *r,
	     char *err, size_t errlen);

/* Read a whole file into memory (malloc'd); NULL with a message in err. */
uint8_t *elf_read_file(const char *path, size_t *size, char *err, size_t errlen);

#endif
