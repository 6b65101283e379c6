/*
 * hv/src/virtio_metal.h — the virtio-metal device (ID 22, slot 3).
 *
 * Two driver-to-device queues (0 setup, 1 render). Each descriptor chain's
 * readable bytes, concatenated, are one submission. A submission is
 * handled completely inside the guest's QueueNotify write, in this order:
 *   1. recorded exactly as received (--record; with the queue index and the
 *      guest timestamp),
 *   2. validated (--validate; findings are logged with frame and command;
 *      MSL sources go through the front end's inspector, msl/inspector.h,
 *      so the shader.* rules are checked too),
 *   3. executed by the replay engine (soft backend).
 * Presents reach the caller's on_present hook (captures, scripted input).
 *
 * Config space (u32 each, wire.h): width, height, refresh_hz, scale_factor,
 * has_display. metalvisor has no window, so has_display is 0 (captures are
 * not a display). Vsync is a configuration-change interrupt every
 * 1/refresh_hz seconds of guest time, recorded as MTLREC_VSYNC.
 */
#ifndef HV_VIRTIO_METAL_H
#define HV_VIRTIO_METAL_H

#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio.h"

struct machine;
struct hv_config;
struct replay_engine;

/* Largest submission accepted; a bigger chain marks the device broken. */
#define VIRTIO_METAL_MAX_SUBMISSION (64u << 20)
#define VIRTIO_METAL_QUEUE_SIZE 64u

struct virtio_metal;

typedef void (*virtio_metal_present_fn)(void *ctx, struct replay_engine *engine, uint32_t frame_id,
					uint64_t frame_index);

/* Creates the replay engine, opens the recording, creates the validator.
 * NULL with err filled ("--record out.mtlrec: ...") on failure. */
struct virtio_metal *virtio_metal_create(struct machine *m, const struct hv_config *cfg, char *err,
					 size_t errlen);
/* Device description for the transport. */
const struct virtio_device_ops *virtio_metal_ops(void);
/* Bind to its transport and start the vsync timer. */
void virtio_metal_attach(struct virtio_metal *d, struct virtio_mmio *t);
/* Called at every present, after the frame is final. */
void virtio_metal_on_present(struct virtio_metal *d, virtio_metal_present_fn fn, void *ctx);
/* Add a record of another kind (input events, capture markers) to the
 * recording, stamped with the current guest time; no-op without --record. */
void virtio_metal_record(struct virtio_metal *d, uint8_t kind, const void *bytes, uint32_t len);
/* Finish the validator (end-of-stream findings), close the recording
 * (footer), print a summary with --verbose, free everything. Returns 0, or
 * -1 when the recording could not be completed (logged). */
int virtio_metal_destroy(struct virtio_metal *d);

/* Statistics for summaries and benchmarks. */
uint64_t virtio_metal_submissions(const struct virtio_metal *d);
uint64_t virtio_metal_frames(const struct virtio_metal *d);

#endif
