/*
 * tests/common/guest_ram.h — a fake guest RAM for the virtio tests: 1 MiB at
 * guest-physical RAM_BASE, the gpa-to-host translation the devices are
 * given (struct virtio_mmio_host.gpa, virtq's gpa callback), little-endian
 * accessors by guest address, and the split-virtqueue descriptor writer
 * (virtio 1.x §2.7.5: u64 addr, u32 len, u16 flags, u16 next).
 *
 * Header-only and static: each test program gets its own RAM.
 */
#ifndef TESTS_COMMON_GUEST_RAM_H
#define TESTS_COMMON_GUEST_RAM_H

#include <stdint.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1u << 20)

static _Alignas(4096) uint8_t ram[RAM_SIZE];

/* NULL for any range not wholly inside the RAM, as the real memory map does. */
static inline void *fake_gpa(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	if (gpa < RAM_BASE || len > RAM_SIZE || gpa - RAM_BASE > RAM_SIZE - len)
		return NULL;
	return ram + (gpa - RAM_BASE);
}

static inline uint8_t *at(uint64_t gpa) { return ram + (gpa - RAM_BASE); }
static inline void w16(uint64_t gpa, uint16_t v) { at(gpa)[0] = (uint8_t)v; at(gpa)[1] = (uint8_t)(v >> 8); }
static inline void w32(uint64_t gpa, uint32_t v) { for (int i = 0; i < 4; i++) at(gpa)[i] = (uint8_t)(v >> (8 * i)); }
static inline void w64(uint64_t gpa, uint64_t v) { for (int i = 0; i < 8; i++) at(gpa)[i] = (uint8_t)(v >> (8 * i)); }
static inline uint16_t r16(uint64_t gpa) { return (uint16_t)(at(gpa)[0] | (at(gpa)[1] << 8)); }
static inline uint32_t r32(uint64_t gpa)
{
	return (uint32_t)at(gpa)[0] | ((uint32_t)at(gpa)[1] << 8) | ((uint32_t)at(gpa)[2] << 16) |
	       ((uint32_t)at(gpa)[3] << 24);
}

/* Descriptor I of the table at guest address TABLE. */
static inline void put_desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
			    uint16_t next)
{
	uint64_t d = table + 16ull * i;
	w64(d, addr);
	w32(d + 8, len);
	w16(d + 12, flags);
	w16(d + 14, next);
}

#endif
