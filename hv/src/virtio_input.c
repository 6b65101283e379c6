/*
 * hv/src/virtio_input.c — virtio-input keyboard and tablet (virtio_input.h).
 */
#include "virtio_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"

struct virtio_input {
	struct machine *m;
	struct virtio_mmio *t;
	enum input_target kind;
	uint32_t width, height;
	uint8_t select, subsel;
	struct virtq_chain *chain;
	struct input_event_le pending[VIRTIO_INPUT_MAX_PENDING];
	unsigned head, count;   /* ring of pending events */
	int warned_full;
};

static void set_bit(uint8_t *bits, unsigned n) { bits[n / 8] |= (uint8_t)(1u << (n % 8)); }

static unsigned bitmap_size(const uint8_t *bits, unsigned max)
{
	unsigned size = max;
	while (size > 0 && bits[size - 1] == 0)
		size--;
	return size;
}

static void wr32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

unsigned virtio_input_config_union(enum input_target kind, uint32_t width, uint32_t height, uint8_t select,
				   uint8_t subsel, uint8_t out[128])
{
	memset(out, 0, 128);
	const char *s;
	switch (select) {
	case VIRTIO_INPUT_CFG_ID_NAME:
		if (subsel)
			return 0;
		s = kind == INPUT_KEYBOARD ? "metalvisor keyboard" : "metalvisor tablet";
		memcpy(out, s, strlen(s));
		return (unsigned)strlen(s);
	case VIRTIO_INPUT_CFG_ID_SERIAL:
		if (subsel)
			return 0;
		s = kind == INPUT_KEYBOARD ? "mv-kbd-0" : "mv-tablet-0";
		memcpy(out, s, strlen(s));
		return (unsigned)strlen(s);
	case VIRTIO_INPUT_CFG_ID_DEVIDS:
		if (subsel)
			return 0;
		wr16(out, 0x06);        /* BUS_VIRTUAL */
		wr16(out + 2, 0x4d56);  /* "MV" */
		wr16(out + 4, kind == INPUT_KEYBOARD ? 1 : 2);
		wr16(out + 6, 1);
		return 8;
	case VIRTIO_INPUT_CFG_PROP_BITS:
		return 0; /* no INPUT_PROP_* */
	case VIRTIO_INPUT_CFG_EV_BITS:
		if (subsel == EV_KEY) {
			if (kind == INPUT_KEYBOARD)
				for (unsigned k = 1; k < 249; k++)
					set_bit(out, k);
			else
				for (unsigned k = BTN_LEFT; k <= BTN_MIDDLE; k++)
					set_bit(out, k);
			return bitmap_size(out, 128);
		}
		if (subsel == EV_ABS && kind == INPUT_TABLET) {
			set_bit(out, ABS_X);
			set_bit(out, ABS_Y);
			return bitmap_size(out, 128);
		}
		return 0;
	case VIRTIO_INPUT_CFG_ABS_INFO:
		if (kind != INPUT_TABLET || subsel > ABS_Y)
			return 0;
		wr32(out, 0);                                          /* min */
		wr32(out + 4, (subsel == ABS_X ? width : height) - 1); /* max */
		/* fuzz, flat, res: 0 */
		return 20;
	default:
		return 0;
	}
}

static uint64_t input_config_read(void *dev, uint32_t off, unsigned size)
{
	struct virtio_input *d = dev;
	uint8_t cfg[VIRTIO_INPUT_CONFIG_SIZE];
	memset(cfg, 0, sizeof cfg);
	cfg[0] = d->select;
	cfg[1] = d->subsel;
	cfg[2] = (uint8_t)virtio_input_config_union(d->kind, d->width, d->height, d->select, d->subsel, cfg + 8);
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)cfg[off + i] << (8 * i);
	return v;
}

static void input_config_write(void *dev, uint32_t off, uint64_t val, unsigned size)
{
	struct virtio_input *d = dev;
	/* Only select (0) and subsel (1) are driver-writable. */
	for (unsigned i = 0; i < size; i++) {
		uint8_t b = (uint8_t)(val >> (8 * i));
		if (off + i == 0)
			d->select = b;
		else if (off + i == 1)
			d->subsel = b;
	}
}

/* Move pending events into posted eventq buffers, one event per buffer. */
static void flush(struct virtio_input *d)
{
	if (!d->t)
		return;
	while (d->count > 0) {
		int r = virtio_mmio_pop(d->t, 0, d->chain);
		if (r != 1)
			return;
		const struct input_event_le *e = &d->pending[d->head];
		uint8_t raw[8];
		wr16(raw, e->type);
		wr16(raw + 2, e->code);
		wr32(raw + 4, e->value);
		size_t n = virtq_chain_write(d->chain, 0, raw, sizeof raw);
		if (n < sizeof raw) {
			virtio_mmio_fail(d->t, "eventq buffer is smaller than one 8-byte event");
			return;
		}
		d->head = (d->head + 1) % VIRTIO_INPUT_MAX_PENDING;
		d->count--;
		virtio_mmio_push(d->t, 0, d->chain->head, (uint32_t)n);
	}
}

static void input_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
	struct virtio_input *d = dev;
	if (q == 0) {
		flush(d);
		return;
	}
	/* statusq: LED and similar feedback; accepted and dropped. */
	while (virtio_mmio_pop(t, 1, d->chain) == 1)
		virtio_mmio_push(t, 1, d->chain->head, 0);
}

static void input_reset(void *dev, struct virtio_mmio *t)
{
	struct virtio_input *d = dev;
	(void)t;
	d->select = d->subsel = 0;
}

/* The keyboard and the tablet differ only in name and in what their
 * config space reports (input_config_read asks the device its kind). */
#define INPUT_OPS(NAME)                                                   \
	{                                                                 \
		.name = NAME,                                             \
		.device_id = VIRTIO_INPUT_DEVICE_ID,                      \
		.nqueues = 2,                                             \
		.queue_num_max = VIRTIO_INPUT_QUEUE_SIZE,                 \
		.queue_dir = {VIRTQ_DEV_WRITES, VIRTQ_DEV_READS},         \
		.config_size = VIRTIO_INPUT_CONFIG_SIZE,                  \
		.config_read = input_config_read,                         \
		.config_write = input_config_write,                       \
		.notify = input_notify,                                   \
		.reset = input_reset,                                     \
	}
static const struct virtio_device_ops keyboard_ops = INPUT_OPS("virtio-input-keyboard");
static const struct virtio_device_ops tablet_ops = INPUT_OPS("virtio-input-tablet");

const struct virtio_device_ops *virtio_input_ops(enum input_target kind)
{
	return kind == INPUT_KEYBOARD ? &keyboard_ops : &tablet_ops;
}

struct virtio_input *virtio_input_create(struct machine *m, enum input_target kind, uint32_t width,
					 uint32_t height)
{
	struct virtio_input *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->chain = malloc(sizeof *d->chain);
	if (!d->chain) {
		free(d);
		return NULL;
	}
	d->m = m;
	d->kind = kind;
	d->width = width ? width : 1;
	d->height = height ? height : 1;
	return d;
}

void virtio_input_attach(struct virtio_input *d, struct virtio_mmio *t) { d->t = t; }

unsigned virtio_input_send(struct virtio_input *d, const struct input_event_le *ev, unsigned n)
{
	unsigned taken = 0;
	for (; taken < n && d->count < VIRTIO_INPUT_MAX_PENDING; taken++) {
		d->pending[(d->head + d->count) % VIRTIO_INPUT_MAX_PENDING] = ev[taken];
		d->count++;
	}
	if (taken < n && !d->warned_full) {
		d->warned_full = 1;
		hv_err(d->m, "%s: %u pending events and the driver takes none; dropping input",
		       virtio_input_ops(d->kind)->name, d->count);
	}
	flush(d);
	return taken;
}

void virtio_input_destroy(struct virtio_input *d)
{
	if (!d)
		return;
	free(d->chain);
	free(d);
}
