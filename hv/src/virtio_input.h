/*
 * hv/src/virtio_input.h — virtio-input devices (ID 18, virtio 1.2 §5.8):
 * a keyboard (slot 1) and an absolute-pointer tablet (slot 2).
 *
 * Config space: the driver writes select/subsel and reads size and the
 * union: ID_NAME, ID_SERIAL, ID_DEVIDS, PROP_BITS, EV_BITS and, for the
 * tablet, ABS_INFO for ABS_X/ABS_Y sized to the display.
 * eventq (0) carries device-writable 8-byte events; events scripted with
 * --events wait in a bounded host-side queue until the driver posts
 * buffers. statusq (1) is drained (LED updates are accepted and dropped).
 */
#ifndef HV_VIRTIO_INPUT_H
#define HV_VIRTIO_INPUT_H

#include <stdint.h>

#include "capture.h"
#include "virtio_mmio.h"

#define VIRTIO_INPUT_DEVICE_ID 18u
#define VIRTIO_INPUT_QUEUE_SIZE 64u
#define VIRTIO_INPUT_MAX_PENDING 4096u

/* Config select values (5.8.5). */
#define VIRTIO_INPUT_CFG_UNSET 0x00
#define VIRTIO_INPUT_CFG_ID_NAME 0x01
#define VIRTIO_INPUT_CFG_ID_SERIAL 0x02
#define VIRTIO_INPUT_CFG_ID_DEVIDS 0x03
#define VIRTIO_INPUT_CFG_PROP_BITS 0x10
#define VIRTIO_INPUT_CFG_EV_BITS 0x11
#define VIRTIO_INPUT_CFG_ABS_INFO 0x12
#define VIRTIO_INPUT_CONFIG_SIZE 136u /* select, subsel, size, reserved[5], union[128] */

struct virtio_input;
struct machine;

struct virtio_input *virtio_input_create(struct machine *m, enum input_target kind, uint32_t width,
					 uint32_t height);
const struct virtio_device_ops *virtio_input_ops(enum input_target kind);
void virtio_input_attach(struct virtio_input *d, struct virtio_mmio *t);
/* Queue events for the driver and deliver what fits now. Returns the
 * number accepted (the rest is dropped and logged when the queue is full). */
unsigned virtio_input_send(struct virtio_input *d, const struct input_event_le *ev, unsigned n);
void virtio_input_destroy(struct virtio_input *d);

/* The config-space bytes a (select, subsel) pair shows (exposed for tests):
 * fills union[128], returns size. */
unsigned virtio_input_config_union(enum input_target kind, uint32_t width, uint32_t height, uint8_t select,
				   uint8_t subsel, uint8_t out[128]);

#endif
