/*
 * hv/src/virtio_metal.c — virtio-metal: submissions → record → validate →
 * replay (see virtio_metal.h).
 */
#include "virtio_metal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "machine.h"
#include "msl/inspector.h"
#include "mtlproto/rec.h"
#include "mtlproto/validate.h"
#include "mtlproto/wire.h"
#include "render/replay.h"

/* Ignored-command lines printed before we only count them. */
#define MAX_ISSUE_LINES 20u

struct virtio_metal {
	struct machine *m;
	struct virtio_mmio *t;
	struct mtlrec_display display;
	uint64_t vsync_period_ns;

	struct replay_engine *engine;
	struct mtlrec_writer *rec;
	const char *rec_path;
	int rec_failed;
	struct mtl_validator *validator;

	struct virtq_chain *chain; /* large: on the heap */
	uint8_t *buf;
	size_t cap;

	uint64_t submissions;
	uint64_t frames;
	uint64_t issues;
	uint64_t vsyncs;

	virtio_metal_present_fn present_fn;
	void *present_ctx;
};

static uint64_t metal_config_read(void *dev, uint32_t off, unsigned size)
{
	struct virtio_metal *d = dev;
	uint8_t cfg[MTL_CONFIG_SIZE];
	mtl_wr32(cfg + MTL_CONFIG_WIDTH, d->display.width);
	mtl_wr32(cfg + MTL_CONFIG_HEIGHT, d->display.height);
	mtl_wr32(cfg + MTL_CONFIG_REFRESH_HZ, d->display.refresh_hz);
	mtl_wr32(cfg + MTL_CONFIG_SCALE_FACTOR, d->display.scale);
	mtl_wr32(cfg + MTL_CONFIG_HAS_DISPLAY, d->display.has_display);
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)cfg[off + i] << (8 * i);
	return v;
}

static void record(struct virtio_metal *d, uint8_t queue, uint8_t kind, const void *bytes, uint32_t len)
{
	if (!d->rec || d->rec_failed)
		return;
	if (mtlrec_writer_add(d->rec, queue, kind, machine_now_ns(d->m), bytes, len) < 0) {
		d->rec_failed = 1;
		hv_err(d->m, "--record %s: %s (recording stopped)", d->rec_path, mtlrec_writer_error(d->rec));
	}
}

void virtio_metal_record(struct virtio_metal *d, uint8_t kind, const void *bytes, uint32_t len)
{
	record(d, 0, kind, bytes, len);
}

static void on_finding(void *user, const struct mtl_finding *f)
{
	struct virtio_metal *d = user;
	if (f->has_command)
		hv_err(d->m, "validate: %s [%s] frame %llu, command %llu (%s), submission %llu queue %u byte %zu: %s",
		       mtl_severity_name(f->severity), f->rule, (unsigned long long)f->frame,
		       (unsigned long long)f->command, f->method_name, (unsigned long long)f->submission, f->queue,
		       f->offset, f->message);
	else
		hv_err(d->m, "validate: %s [%s] frame %llu, end of stream: %s", mtl_severity_name(f->severity),
		       f->rule, (unsigned long long)f->frame, f->message);
}

static void on_issue(void *user, const struct replay_issue *is)
{
	struct virtio_metal *d = user;
	d->issues++;
	if (d->issues <= MAX_ISSUE_LINES)
		hv_err(d->m, "virtio-metal: submission %llu, command %llu (method 0x%04x) at byte %zu ignored [%s]: %s",
		       (unsigned long long)is->submission, (unsigned long long)is->command, is->method, is->offset,
		       replay_reason_name(is->reason), is->message);
	else if (d->issues == MAX_ISSUE_LINES + 1)
		hv_err(d->m, "virtio-metal: more ignored commands; only counting them from now on");
}

static void on_present(void *user, uint32_t frame_id)
{
	struct virtio_metal *d = user;
	uint64_t index = d->frames++;
	if (d->present_fn)
		d->present_fn(d->present_ctx, d->engine, frame_id, index);
}

/* One chain = one submission. */
static void submit_chain(struct virtio_metal *d, unsigned q)
{
	const struct virtq_chain *c = d->chain;
	if (c->read_len > VIRTIO_METAL_MAX_SUBMISSION) {
		char why[120];
		snprintf(why, sizeof why, "queue %u: submission of %llu bytes exceeds the %u-byte limit", q,
			 (unsigned long long)c->read_len, VIRTIO_METAL_MAX_SUBMISSION);
		virtio_mmio_fail(d->t, why);
		return;
	}
	size_t len = (size_t)c->read_len;
	if (len > d->cap) {
		size_t ncap = d->cap ? d->cap : 65536;
		while (ncap < len)
			ncap *= 2;
		uint8_t *nb = realloc(d->buf, ncap);
		if (!nb) {
			virtio_mmio_fail(d->t, "out of host memory for a submission");
			return;
		}
		d->buf = nb;
		d->cap = ncap;
	}
	/* A copy: the guest may rewrite its buffer the moment we return it,
	 * and the recording and the validator must see what the engine saw.
	 * An empty chain is an empty submission (never a NULL buffer). */
	static const uint8_t empty[1];
	const uint8_t *bytes = len ? d->buf : empty;
	if (len)
		virtq_chain_read(c, 0, d->buf, len);
	uint64_t index = d->submissions++;
	record(d, (uint8_t)q, MTLREC_SUBMISSION, bytes, (uint32_t)len);
	if (d->validator)
		mtl_validator_submit(d->validator, bytes, len, q, index);
	replay_submit(d->engine, bytes, len);
}

static void metal_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
	struct virtio_metal *d = dev;
	int r;
	while ((r = virtio_mmio_pop(t, q, d->chain)) == 1) {
		submit_chain(d, q);
		if (!virtio_mmio_running(t))
			return; /* the submission broke the device */
		virtio_mmio_push(t, q, d->chain->head, 0);
	}
}

static void vsync(void *ctx, uint64_t now_ns)
{
	struct virtio_metal *d = ctx;
	if (d->t && virtio_mmio_config_changed(d->t, 0)) {
		d->vsyncs++;
		record(d, 0, MTLREC_VSYNC, NULL, 0);
	}
	machine_add_timer(d->m, now_ns + d->vsync_period_ns, vsync, d);
}

static const struct virtio_device_ops metal_ops = {
	.name = "virtio-metal",
	.device_id = MTL_VIRTIO_DEVICE_ID,
	.features = 0,
	.nqueues = 2,
	.queue_num_max = VIRTIO_METAL_QUEUE_SIZE,
	.queue_dir = {VIRTQ_DEV_READS, VIRTQ_DEV_READS},
	.config_size = MTL_CONFIG_SIZE,
	.config_read = metal_config_read,
	.notify = metal_notify,
};

const struct virtio_device_ops *virtio_metal_ops(void) { return &metal_ops; }

struct virtio_metal *virtio_metal_create(struct machine *m, const struct hv_config *cfg, char *err,
					 size_t errlen)
{
	struct virtio_metal *d = calloc(1, sizeof *d);
	if (!d || !(d->chain = malloc(sizeof *d->chain))) {
		snprintf(err, errlen, "virtio-metal: out of memory");
		free(d);
		return NULL;
	}
	d->m = m;
	d->display.width = cfg->width;
	d->display.height = cfg->height;
	d->display.refresh_hz = cfg->refresh_hz ? cfg->refresh_hz : 60;
	d->display.scale = 1;
	d->display.has_display = 0; /* no window: headless */
	d->vsync_period_ns = 1000000000ull / d->display.refresh_hz;

	struct replay_config rc = {
		.width = d->display.width,
		.height = d->display.height,
		.refresh_hz = d->display.refresh_hz,
		.backend = "soft",
		.on_present = on_present,
		.on_issue = on_issue,
		.user = d,
	};
	char why[256];
	d->engine = replay_create(&rc, why, sizeof why);
	if (!d->engine) {
		snprintf(err, errlen, "virtio-metal: replay engine: %s", why);
		goto fail;
	}
	if (cfg->validate) {
		struct mtl_validate_options vo = {
			.width = d->display.width,
			.height = d->display.height,
			.on_finding = on_finding,
			.user = d,
			/* The MSL front end checks every COMPILE_LIBRARY, so the
			 * shader.* rules are live too, as in tools/mtlvalidate. */
			.shader = msl_shader_inspector(),
		};
		d->validator = mtl_validator_create(&vo);
		if (!d->validator) {
			snprintf(err, errlen, "virtio-metal: validator: out of memory");
			goto fail;
		}
	}
	if (cfg->record_path) {
		struct mtlrec_writer_options wo = {.tool = "metalvisor " METALVISOR_VERSION};
		d->rec_path = cfg->record_path;
		d->rec = mtlrec_writer_open(cfg->record_path, &d->display, &wo, why, sizeof why);
		if (!d->rec) {
			snprintf(err, errlen, "--record %s: %s", cfg->record_path, why);
			goto fail;
		}
		/* The display the guest sees from the start, as a record too, so
		 * a reader that only follows records knows it. */
		uint8_t c[20];
		mtl_wr32(c, d->display.width);
		mtl_wr32(c + 4, d->display.height);
		mtl_wr32(c + 8, d->display.refresh_hz);
		mtl_wr32(c + 12, d->display.scale);
		mtl_wr32(c + 16, d->display.has_display);
		record(d, 0, MTLREC_CONFIG, c, sizeof c);
	}
	return d;
fail:
	if (d->validator)
		mtl_validator_destroy(d->validator);
	if (d->engine)
		replay_destroy(d->engine);
	free(d->chain);
	free(d);
	return NULL;
}

void virtio_metal_attach(struct virtio_metal *d, struct virtio_mmio *t)
{
	d->t = t;
	machine_add_timer(d->m, machine_now_ns(d->m) + d->vsync_period_ns, vsync, d);
}

void virtio_metal_on_present(struct virtio_metal *d, virtio_metal_present_fn fn, void *ctx)
{
	d->present_fn = fn;
	d->present_ctx = ctx;
}

int virtio_metal_destroy(struct virtio_metal *d)
{
	if (!d)
		return 0;
	int rc = 0;
	if (d->validator) {
		mtl_validator_finish(d->validator);
		hv_err(d->m, "validate: %llu error(s), %llu warning(s) in %llu command(s), %llu frame(s)",
		       (unsigned long long)mtl_validator_errors(d->validator),
		       (unsigned long long)mtl_validator_warnings(d->validator),
		       (unsigned long long)mtl_validator_commands(d->validator),
		       (unsigned long long)mtl_validator_frames(d->validator));
		mtl_validator_destroy(d->validator);
	}
	if (d->rec) {
		char why[256];
		if (mtlrec_writer_close(d->rec, why, sizeof why) < 0) {
			hv_err(d->m, "--record %s: %s", d->rec_path, why);
			rc = -1;
		} else if (d->rec_failed) {
			rc = -1;
		}
	}
	hv_log(d->m, "virtio-metal: %llu submission(s), %llu frame(s), %llu vsync(s), %llu ignored command(s)",
	       (unsigned long long)d->submissions, (unsigned long long)d->frames, (unsigned long long)d->vsyncs,
	       (unsigned long long)d->issues);
	replay_destroy(d->engine);
	free(d->buf);
	free(d->chain);
	free(d);
	return rc;
}

uint64_t virtio_metal_submissions(const struct virtio_metal *d) { return d->submissions; }
uint64_t virtio_metal_frames(const struct virtio_metal *d) { return d->frames; }
