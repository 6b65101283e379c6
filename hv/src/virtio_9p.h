/*
 * hv/src/virtio_9p.h — virtio-9p (device 9, slot 0): a read-only
 * 9P2000.L server for one host directory (--share DIR).
 *
 * Supported: Tversion, Tattach, Twalk, Tgetattr, Tlopen (read-only),
 * Tread, Treaddir, Tclunk; everything else answers Rlerror EOPNOTSUPP, and
 * opening for writing answers EROFS.
 *
 * Confinement: a walk name must be a single component ("..", ".", "" and
 * names containing '/' are refused with EACCES), every path is resolved
 * from the share's directory one component at a time with O_NOFOLLOW, and
 * symbolic links are never followed (walking onto one answers ELOOP), so
 * nothing outside DIR is reachable.
 *
 * Config space (5.3.4): le16 tag_len, then the mount tag "metalvisor";
 * feature VIRTIO_9P_MOUNT_TAG (bit 0) is offered.
 */
#ifndef HV_VIRTIO_9P_H
#define HV_VIRTIO_9P_H

#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VIRTIO_9P_DEVICE_ID 9u
#define VIRTIO_9P_MOUNT_TAG_FEATURE 0
#define VIRTIO_9P_TAG "metalvisor"
#define VIRTIO_9P_QUEUE_SIZE 64u
#define VIRTIO_9P_MSIZE 65536u      /* largest message we negotiate */
#define VIRTIO_9P_MAX_FIDS 1024u

struct virtio_9p;

/* NULL with err when DIR is not a readable directory. */
struct virtio_9p *virtio_9p_create(const char *dir, char *err, size_t errlen);
const struct virtio_device_ops *virtio_9p_ops(void);
void virtio_9p_destroy(struct virtio_9p *d);

/* Handle one request message (exposed for tests): req[0..reqlen) in,
 * response written to resp (capacity cap); returns the response length. */
size_t virtio_9p_handle(struct virtio_9p *d, const uint8_t *req, size_t reqlen, uint8_t *resp, size_t cap);

#endif
