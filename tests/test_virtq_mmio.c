/*
 * tests/test_virtq_mmio.c — the virtio-mmio v2 transport driven through its
 * register file: identification, feature negotiation (VERSION_1 required),
 * queue setup, synchronous notification, interrupts and their suppression,
 * reset, and DEVICE_NEEDS_RESET on a broken queue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../hv/src/virtio_mmio.h"
#include "common/guest_ram.h"

#define DESC_GPA (RAM_BASE + 0x1000)
#define AVAIL_GPA (RAM_BASE + 0x2000)
#define USED_GPA (RAM_BASE + 0x3000)
#define BUF_GPA (RAM_BASE + 0x10000)

static int irq_level, irq_changes, log_lines;
static char last_log[400];
static void set_irq(void *ctx, int level) { (void)ctx; irq_level = level; irq_changes++; }
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	log_lines++;
	snprintf(last_log, sizeof last_log, "%s", line);
}

/* A test device: queue 0 is driver-to-device; notify echoes the byte count
 * of each chain into the used ring. */
static unsigned notified_bytes, notified_chains;
static struct virtq_chain chain;
static uint8_t cfg_bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static int resets, driver_oks;

static uint64_t cfg_read(void *dev, uint32_t off, unsigned size)
{
	(void)dev;
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)cfg_bytes[off + i] << (8 * i);
	return v;
}
static void notify(void *dev, struct virtio_mmio *t, unsigned q)
{
	(void)dev;
	int r;
	while ((r = virtio_mmio_pop(t, q, &chain)) == 1) {
		notified_chains++;
		notified_bytes += (unsigned)chain.read_len;
		virtio_mmio_push(t, q, chain.head, 0);
	}
}
static void on_reset(void *dev, struct virtio_mmio *t) { (void)dev; (void)t; resets++; }
static void on_driver_ok(void *dev, struct virtio_mmio *t) { (void)dev; (void)t; driver_oks++; }

static const struct virtio_device_ops test_ops = {
	.name = "virtio-test",
	.device_id = 42,
	.features = 1ull << 3,
	.nqueues = 1,
	.queue_num_max = 16,
	.queue_dir = {VIRTQ_DEV_READS},
	.config_size = sizeof cfg_bytes,
	.config_read = cfg_read,
	.notify = notify,
	.driver_ok = on_driver_ok,
	.reset = on_reset,
};
static const struct virtio_device_ops empty_ops = {.name = "virtio-none", .device_id = 0};

static struct virtio_mmio *t;

static uint32_t rd(uint64_t off) { return (uint32_t)virtio_mmio_read(t, off, 4); }
static void wr(uint64_t off, uint32_t v) { virtio_mmio_write(t, off, v, 4); }

static int setup(void **state)
{
	(void)state;
	memset(ram, 0, sizeof ram);
	irq_level = irq_changes = log_lines = 0;
	notified_bytes = notified_chains = 0;
	resets = driver_oks = 0;
	last_log[0] = 0;
	struct virtio_mmio_host host = {.gpa = fake_gpa, .set_irq = set_irq, .log = log_line, .base = 0x0A000600};
	t = virtio_mmio_create(&test_ops, NULL, &host);
	assert_non_null(t);
	return 0;
}
static int teardown(void **state)
{
	(void)state;
	virtio_mmio_destroy(t);
	return 0;
}

/* The driver initialisation sequence of 3.1.1, with the given features. */
static int negotiate(uint64_t features)
{
	wr(VIRTIO_MMIO_STATUS, 0);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	return (rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) != 0;
}

static void setup_queue(uint32_t num)
{
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, num);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)DESC_GPA);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(DESC_GPA >> 32));
	wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)AVAIL_GPA);
	wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)USED_GPA);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

static void go(void)
{
	assert_true(negotiate((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC)));
	setup_queue(8);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_READY), 1);
	int before = driver_oks;
	wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(driver_oks, before + 1);
}

static void submit(uint16_t idx, uint16_t head, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	put_desc(DESC_GPA, head, addr, len, flags, next);
	w16(AVAIL_GPA + 4 + 2 * (idx % 8), head);
	w16(AVAIL_GPA + 2, (uint16_t)(idx + 1));
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

static void test_identification(void **state)
{
	(void)state;
	assert_int_equal(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976u);
	assert_int_equal(rd(VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(rd(VIRTIO_MMIO_DEVICE_ID), 42);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(rd(VIRTIO_MMIO_DEVICE_FEATURES), (1u << 3) | (1u << VIRTIO_F_INDIRECT_DESC));
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1u); /* bit 32: VERSION_1 */
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
	assert_int_equal(rd(VIRTIO_MMIO_DEVICE_FEATURES), 0);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 16);
	wr(VIRTIO_MMIO_QUEUE_SEL, 1);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0); /* no such queue */
	/* config space in every width */
	assert_int_equal(virtio_mmio_read(t, 0x100, 1), 1);
	assert_int_equal(virtio_mmio_read(t, 0x102, 2), 0x0403);
	assert_int_equal(virtio_mmio_read(t, 0x104, 4), 0x08070605);
	assert_int_equal(virtio_mmio_read(t, 0x106, 4), 0); /* runs past config */
}

static void test_bad_width_access_logged_once(void **state)
{
	(void)state;
	assert_int_equal(virtio_mmio_read(t, VIRTIO_MMIO_MAGIC_VALUE, 1), 0);
	assert_int_equal(virtio_mmio_read(t, VIRTIO_MMIO_MAGIC_VALUE, 2), 0);
	assert_int_equal(log_lines, 1);
	assert_non_null(strstr(last_log, "32-bit"));
}

static void test_version_1_required(void **state)
{
	(void)state;
	assert_false(negotiate(0));
	assert_non_null(strstr(last_log, "VIRTIO_F_VERSION_1"));
	assert_false(negotiate((1ull << VIRTIO_F_VERSION_1) | (1ull << 5))); /* not offered */
	assert_true(negotiate(1ull << VIRTIO_F_VERSION_1));
	assert_int_equal(virtio_mmio_negotiated(t), 1ull << VIRTIO_F_VERSION_1);
	/* features are frozen after FEATURES_OK */
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << 3);
	assert_int_equal(virtio_mmio_negotiated(t), 1ull << VIRTIO_F_VERSION_1);
}

static void test_notify_and_interrupt(void **state)
{
	(void)state;
	go();
	submit(0, 2, BUF_GPA, 100, 0, 0);
	assert_int_equal(notified_chains, 1);
	assert_int_equal(notified_bytes, 100);
	assert_int_equal(r16(USED_GPA + 2), 1);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED_BUFFER);
	assert_int_equal(irq_level, 1);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED_BUFFER);
	assert_int_equal(irq_level, 0);
	/* suppressed */
	w16(AVAIL_GPA, VIRTQ_AVAIL_F_NO_INTERRUPT);
	submit(1, 3, BUF_GPA, 10, 0, 0);
	assert_int_equal(notified_chains, 2);
	assert_int_equal(irq_level, 0);
	/* vsync-style config change */
	assert_int_equal(virtio_mmio_config_changed(t, 0), 1);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_CONFIG_CHANGE);
	uint32_t gen = rd(VIRTIO_MMIO_CONFIG_GENERATION);
	virtio_mmio_config_changed(t, 1);
	assert_int_equal(rd(VIRTIO_MMIO_CONFIG_GENERATION), gen + 1);
}

static void test_notify_before_driver_ok_ignored(void **state)
{
	(void)state;
	assert_true(negotiate(1ull << VIRTIO_F_VERSION_1));
	setup_queue(8);
	submit(0, 0, BUF_GPA, 4, 0, 0);
	assert_int_equal(notified_chains, 0);
	assert_int_equal(virtio_mmio_config_changed(t, 0), 0);
}

static void test_broken_queue_needs_reset(void **state)
{
	(void)state;
	go();
	submit(0, 1, 0x100, 4, 0, 0); /* buffer outside RAM */
	assert_int_equal(notified_chains, 0);
	uint32_t st = rd(VIRTIO_MMIO_STATUS);
	assert_true(st & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG_CHANGE, VIRTIO_INT_CONFIG_CHANGE);
	assert_int_equal(log_lines, 1);
	assert_non_null(strstr(last_log, "virtio-test@0x0a000600"));
	assert_non_null(strstr(last_log, "not inside guest RAM"));
	assert_non_null(strstr(last_log, "needs reset"));
	/* further notifications are ignored and not logged again */
	submit(1, 1, BUF_GPA, 4, 0, 0);
	assert_int_equal(notified_chains, 0);
	assert_int_equal(log_lines, 1);
	/* the driver cannot clear the bit except by reset */
	wr(VIRTIO_MMIO_STATUS, st & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	/* reset and start again: works */
	int resets_before = resets;
	wr(VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(resets, resets_before + 1);
	assert_int_equal(rd(VIRTIO_MMIO_STATUS), 0);
	assert_int_equal(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	assert_int_equal(irq_level, 0);
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	memset(ram, 0, 0x4000 + 0x1000);
	go();
	submit(0, 1, BUF_GPA, 4, 0, 0);
	assert_int_equal(notified_chains, 1);
}

static void test_bad_queue_setup(void **state)
{
	(void)state;
	assert_true(negotiate(1ull << VIRTIO_F_VERSION_1));
	setup_queue(32); /* > QueueNumMax 16 */
	assert_int_equal(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_non_null(strstr(last_log, "QueueNumMax"));
}

static void test_driver_ok_without_features_ok(void **state)
{
	(void)state;
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
	assert_true(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_int_equal(driver_oks, 0);
}

static void test_no_device(void **state)
{
	(void)state;
	struct virtio_mmio_host host = {.gpa = fake_gpa};
	struct virtio_mmio *e = virtio_mmio_create(&empty_ops, NULL, &host);
	assert_int_equal(virtio_mmio_read(e, VIRTIO_MMIO_MAGIC_VALUE, 4), 0x74726976u);
	assert_int_equal(virtio_mmio_read(e, VIRTIO_MMIO_VERSION, 4), 2);
	assert_int_equal(virtio_mmio_read(e, VIRTIO_MMIO_DEVICE_ID, 4), 0);
	assert_int_equal(virtio_mmio_read(e, VIRTIO_MMIO_DEVICE_FEATURES, 4), 0);
	virtio_mmio_write(e, VIRTIO_MMIO_QUEUE_NOTIFY, 0, 4);
	virtio_mmio_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_width_access_logged_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_1_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_and_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_before_driver_ok_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_queue_needs_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_queue_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_driver_ok_without_features_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_device, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
