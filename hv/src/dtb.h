/*
 * dtb.h - the device tree of the machine (DESIGN.md section 2), built with
 * libfdt's sequential-write API.
 */
#ifndef HV_DTB_H
#define HV_DTB_H

#include <stddef.h>
#include <stdint.h>

struct fdt_params {
	uint64_t ram_base, ram_size;
	unsigned ncpus;
	const char *bootargs; /* NULL: empty */
	unsigned virtio_slots; /* nodes at HV_VIRTIO_BASE + slot * HV_VIRTIO_STRIDE */
};

/* Write the DTB into buf (size bytes).  0 ok, -1 with a message in err. */
int hv_fdt_build(const struct fdt_params *p, void *buf, size_t size, char *err, size_t errlen);

#endif
