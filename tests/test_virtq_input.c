/*
 * tests/test_virtq_input.c — virtio-input (config space and event
 * delivery through a real transport on fake RAM), the --events script
 * parser, and frame actions (--capture matching, exit after the last one).
 *
 * The machine and the replay engine are replaced by the small fakes below,
 * which record what the code under test asked of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../hv/src/capture.h"
#include "../hv/src/config.h"
#include "../hv/src/machine.h"
#include "../hv/src/virtio_input.h"
#include "common/files.h"
#include "common/guest_ram.h"
#include "render/replay.h"

/* --- fakes --------------------------------------------------------------- */
static char captured[8][256];
static unsigned ncaptured;
static int exit_requested, exit_status;
static char errlog[1024];

void hv_err(struct machine *m, const char *fmt, ...)
{
	(void)m;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errlog, sizeof errlog, fmt, ap);
	va_end(ap);
}
void hv_log(struct machine *m, const char *fmt, ...)
{
	(void)m;
	(void)fmt;
}
void machine_request_exit(struct machine *m, int status, const char *why)
{
	(void)m;
	(void)why;
	exit_requested++;
	exit_status = status;
}
int replay_capture_png(struct replay_engine *e, const char *path, char *err, size_t errlen)
{
	(void)e;
	(void)err;
	(void)errlen;
	if (ncaptured < 8)
		snprintf(captured[ncaptured++], sizeof captured[0], "%s", path);
	return 0;
}

static int reset_fakes(void **state)
{
	(void)state;
	ncaptured = 0;
	exit_requested = exit_status = 0;
	errlog[0] = 0;
	return 0;
}

/* --- script parser ------------------------------------------------------- */
/* What frame_script_parse_line gives back for one line of a 640x480 machine. */
struct parsed {
	uint32_t frame;
	enum input_target t;
	struct input_event_le ev[8];
	char path[256], err[256];
	unsigned col;
};

static int parse(const char *line, struct parsed *p)
{
	return frame_script_parse_line(line, 640, 480, &p->frame, &p->t, p->ev, 8, p->path, sizeof p->path, &p->col,
				       p->err, sizeof p->err);
}

static void test_script_key_press(void **state)
{
	(void)state;
	struct parsed p;
	int n = parse("12 key a press\n", &p);
	assert_int_equal(n, 4);
	assert_int_equal(p.frame, 12);
	assert_int_equal(p.t, INPUT_KEYBOARD);
	assert_int_equal(p.ev[0].type, EV_KEY);
	assert_int_equal(p.ev[0].code, 30); /* KEY_A */
	assert_int_equal(p.ev[0].value, 1);
	assert_int_equal(p.ev[1].type, EV_SYN);
	assert_int_equal(p.ev[2].value, 0);
	n = parse("3 key 28 down", &p);
	assert_int_equal(n, 2);
	assert_int_equal(p.ev[0].code, 28);
}

static void test_script_tablet(void **state)
{
	(void)state;
	struct parsed p;
	int n = parse("  5 click 100 200  # comment", &p);
	assert_int_equal(n, 7);
	assert_int_equal(p.t, INPUT_TABLET);
	assert_int_equal(p.ev[0].type, EV_ABS);
	assert_int_equal(p.ev[0].code, ABS_X);
	assert_int_equal(p.ev[0].value, 100);
	assert_int_equal(p.ev[1].code, ABS_Y);
	assert_int_equal(p.ev[1].value, 200);
	assert_int_equal(p.ev[3].code, BTN_LEFT);
	assert_int_equal(p.ev[3].value, 1);
	n = parse("0 button right up", &p);
	assert_int_equal(n, 2);
	assert_int_equal(p.ev[0].code, BTN_RIGHT);
	assert_int_equal(p.ev[0].value, 0);
}

static void test_script_capture_and_blank(void **state)
{
	(void)state;
	struct parsed p;
	assert_int_equal(parse("7 capture shot.png", &p), 0);
	assert_string_equal(p.path, "shot.png");
	assert_int_equal(p.frame, 7);
	assert_int_equal(parse("   # only a comment", &p), 0);
	assert_string_equal(p.path, "");
	assert_int_equal(parse("", &p), 0);
}

static void test_script_errors_have_columns(void **state)
{
	(void)state;
	struct parsed p;
	assert_int_equal(parse("x key a press", &p), -1);
	assert_int_equal(p.col, 1);
	assert_int_equal(parse("1 jump", &p), -1);
	assert_int_equal(p.col, 3);
	assert_non_null(strstr(p.err, "unknown action 'jump'"));
	assert_int_equal(parse("1 key nosuchkey press", &p), -1);
	assert_int_equal(p.col, 7);
	assert_int_equal(parse("1 move 640 10", &p), -1);
	assert_int_equal(p.col, 8);
	assert_non_null(strstr(p.err, "640x480"));
	assert_int_equal(parse("1 key a press extra", &p), -1);
	assert_int_equal(p.col, 15);
	assert_int_equal(parse("1 key a sideways", &p), -1);
	assert_int_equal(p.col, 9);
}

/* --- frame actions ----------------------------------------------------- */
static void cfg_init(struct hv_config *c)
{
	memset(c, 0, sizeof *c);
	c->width = 640;
	c->height = 480;
	c->refresh_hz = 60;
}

static struct input_event_le got_ev[32];
static unsigned got_n;
static enum input_target got_target;
static uint32_t taken[8];
static unsigned ntaken;
static void on_input(void *ctx, enum input_target t, const struct input_event_le *ev, unsigned n)
{
	(void)ctx;
	got_target = t;
	memcpy(got_ev + got_n, ev, n * sizeof *ev);
	got_n += n;
}
static void on_taken(void *ctx, uint32_t frame_id)
{
	(void)ctx;
	taken[ntaken++] = frame_id;
}

static void test_single_capture_then_exit(void **state)
{
	(void)state;
	struct hv_config c;
	cfg_init(&c);
	c.ncaptures = 1;
	c.captures[0].frames[0] = 3;
	c.captures[0].nframes = 1;
	c.captures[0].path = "out.png";
	char err[256];
	ntaken = 0;
	struct frame_actions *fa = frame_actions_create(NULL, &c, err, sizeof err);
	assert_non_null(fa);
	frame_actions_set_hooks(fa, on_input, on_taken, NULL);
	frame_actions_on_present(fa, NULL, 0, 0);
	frame_actions_on_present(fa, NULL, 2, 1);
	assert_int_equal(ncaptured, 0);
	assert_int_equal(exit_requested, 0);
	frame_actions_on_present(fa, NULL, 3, 2);
	assert_int_equal(ncaptured, 1);
	assert_string_equal(captured[0], "out.png");
	assert_int_equal(exit_requested, 1);
	assert_int_equal(exit_status, HV_EXIT_POWEROFF);
	assert_int_equal(ntaken, 1);
	assert_int_equal(taken[0], 3);
	/* only the first present with that id */
	frame_actions_on_present(fa, NULL, 3, 3);
	assert_int_equal(ncaptured, 1);
	frame_actions_destroy(fa);
}

static void test_multi_capture_prefix(void **state)
{
	(void)state;
	struct hv_config c;
	cfg_init(&c);
	c.ncaptures = 1;
	c.captures[0].frames[0] = 1;
	c.captures[0].frames[1] = 12;
	c.captures[0].nframes = 2;
	c.captures[0].multi = true;
	c.captures[0].path = "shots/run";
	char err[256];
	struct frame_actions *fa = frame_actions_create(NULL, &c, err, sizeof err);
	assert_non_null(fa);
	for (uint32_t f = 0; f < 12; f++)
		frame_actions_on_present(fa, NULL, f, f);
	assert_int_equal(ncaptured, 1);
	assert_string_equal(captured[0], "shots/run-001.png");
	assert_int_equal(exit_requested, 0);
	frame_actions_on_present(fa, NULL, 12, 12);
	assert_string_equal(captured[1], "shots/run-012.png");
	assert_int_equal(exit_requested, 1);
	frame_actions_destroy(fa);
}

static void test_events_file(void **state)
{
	(void)state;
	char path[64];
	test_tmp_file(path, sizeof path, "test_virtq_input");
	const char *script = "# a script\n2 key enter press\n\n4 move 10 20\n4 capture ev-4.png\n";
	test_write_file(path, script, strlen(script));
	struct hv_config c;
	cfg_init(&c);
	c.events_path = path;
	char err[256];
	got_n = 0;
	struct frame_actions *fa = frame_actions_create(NULL, &c, err, sizeof err);
	assert_non_null(fa);
	frame_actions_set_hooks(fa, on_input, on_taken, NULL);
	frame_actions_on_present(fa, NULL, 2, 0);
	assert_int_equal(got_n, 4);
	assert_int_equal(got_target, INPUT_KEYBOARD);
	assert_int_equal(got_ev[0].code, 28);
	frame_actions_on_present(fa, NULL, 4, 1);
	assert_int_equal(got_n, 7);
	assert_int_equal(got_target, INPUT_TABLET);
	assert_int_equal(ncaptured, 1);
	assert_string_equal(captured[0], "ev-4.png");
	assert_int_equal(exit_requested, 0); /* script captures do not end the run */
	frame_actions_destroy(fa);

	/* an error names FILE:LINE:COL */
	const char *bad = "1 key a press\n2 key a twice\n";
	test_write_file(path, bad, strlen(bad));
	fa = frame_actions_create(NULL, &c, err, sizeof err);
	assert_null(fa);
	char want[128];
	snprintf(want, sizeof want, "%s:2:9:", path);
	if (!strstr(err, want))
		fail_msg("error '%s' does not start with '%s'", err, want);
	unlink(path);
	c.events_path = "/nonexistent/events.txt";
	assert_null(frame_actions_create(NULL, &c, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/events.txt"));
}

/* --- virtio-input -------------------------------------------------------- */
static void test_input_config(void **state)
{
	(void)state;
	uint8_t u[128];
	unsigned n = virtio_input_config_union(INPUT_KEYBOARD, 640, 480, VIRTIO_INPUT_CFG_ID_NAME, 0, u);
	assert_int_equal(n, strlen("metalvisor keyboard"));
	assert_memory_equal(u, "metalvisor keyboard", n);
	n = virtio_input_config_union(INPUT_KEYBOARD, 640, 480, VIRTIO_INPUT_CFG_EV_BITS, EV_KEY, u);
	assert_true(n > 0);
	assert_true(u[30 / 8] & (1u << (30 % 8))); /* KEY_A */
	assert_int_equal(virtio_input_config_union(INPUT_KEYBOARD, 640, 480, VIRTIO_INPUT_CFG_EV_BITS, EV_ABS, u), 0);
	assert_int_equal(virtio_input_config_union(INPUT_KEYBOARD, 640, 480, VIRTIO_INPUT_CFG_ABS_INFO, ABS_X, u), 0);
	n = virtio_input_config_union(INPUT_TABLET, 640, 480, VIRTIO_INPUT_CFG_EV_BITS, EV_ABS, u);
	assert_int_equal(n, 1);
	assert_int_equal(u[0], 3);
	n = virtio_input_config_union(INPUT_TABLET, 640, 480, VIRTIO_INPUT_CFG_ABS_INFO, ABS_Y, u);
	assert_int_equal(n, 20);
	assert_int_equal(u[4] | (u[5] << 8), 479);
	n = virtio_input_config_union(INPUT_TABLET, 640, 480, VIRTIO_INPUT_CFG_ID_DEVIDS, 0, u);
	assert_int_equal(n, 8);
	assert_int_equal(u[0], 6); /* BUS_VIRTUAL */
	assert_int_equal(virtio_input_config_union(INPUT_TABLET, 640, 480, VIRTIO_INPUT_CFG_UNSET, 0, u), 0);
}

static void wr(struct virtio_mmio *t, uint64_t off, uint32_t v) { virtio_mmio_write(t, off, v, 4); }

static void test_input_delivery(void **state)
{
	(void)state;
	memset(ram, 0, sizeof ram);
	struct virtio_input *d = virtio_input_create(NULL, INPUT_TABLET, 640, 480);
	assert_non_null(d);
	struct virtio_mmio_host host = {.gpa = fake_gpa};
	struct virtio_mmio *t = virtio_mmio_create(virtio_input_ops(INPUT_TABLET), d, &host);
	virtio_input_attach(d, t);

	/* select/subsel through config space, then read size and union */
	virtio_mmio_write(t, 0x100, VIRTIO_INPUT_CFG_ABS_INFO, 1);
	virtio_mmio_write(t, 0x101, ABS_X, 1);
	assert_int_equal(virtio_mmio_read(t, 0x102, 1), 20);
	assert_int_equal(virtio_mmio_read(t, 0x10c, 4), 639);

	/* events before the driver is up wait in the device */
	struct input_event_le ev[3] = {{EV_ABS, ABS_X, 5}, {EV_ABS, ABS_Y, 6}, {EV_SYN, SYN_REPORT, 0}};
	assert_int_equal(virtio_input_send(d, ev, 3), 3);

	wr(t, VIRTIO_MMIO_STATUS, 1);
	wr(t, VIRTIO_MMIO_STATUS, 3);
	wr(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(t, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	wr(t, VIRTIO_MMIO_STATUS, 11);
	uint64_t desc = RAM_BASE + 0x1000, avail = RAM_BASE + 0x2000, used = RAM_BASE + 0x3000;
	wr(t, VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(t, VIRTIO_MMIO_QUEUE_NUM, 8);
	wr(t, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
	wr(t, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
	wr(t, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
	wr(t, VIRTIO_MMIO_QUEUE_READY, 1);
	wr(t, VIRTIO_MMIO_STATUS, 15);
	/* post two 8-byte writable buffers */
	for (unsigned i = 0; i < 2; i++) {
		put_desc(desc, i, RAM_BASE + 0x8000 + 8 * i, 8, 2 /* WRITE */, 0);
		w16(avail + 4 + 2 * i, (uint16_t)i);
	}
	w16(avail + 2, 2);
	wr(t, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(r16(used + 2), 2);
	uint8_t *e0 = ram + 0x8000;
	assert_int_equal(e0[0], EV_ABS);
	assert_int_equal(e0[2], ABS_X);
	assert_int_equal(e0[4], 5);
	assert_int_equal(e0[8 + 2], ABS_Y);
	assert_int_equal(e0[8 + 4], 6);
	/* the third event waits for another buffer */
	w64(desc, RAM_BASE + 0x8100);
	w16(avail + 4 + 4, 0);
	w16(avail + 2, 3);
	wr(t, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(r16(used + 2), 3);
	assert_int_equal(ram[0x8100], EV_SYN);
	/* a read-only buffer on the eventq breaks the device */
	w16(desc + 12, 0);
	w16(avail + 4 + 6, 0);
	w16(avail + 2, 4);
	struct input_event_le one = {EV_KEY, BTN_LEFT, 1};
	virtio_input_send(d, &one, 1);
	assert_true(virtio_mmio_status(t) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	virtio_mmio_destroy(t);
	virtio_input_destroy(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_script_key_press, reset_fakes),
		cmocka_unit_test_setup(test_script_tablet, reset_fakes),
		cmocka_unit_test_setup(test_script_capture_and_blank, reset_fakes),
		cmocka_unit_test_setup(test_script_errors_have_columns, reset_fakes),
		cmocka_unit_test_setup(test_single_capture_then_exit, reset_fakes),
		cmocka_unit_test_setup(test_multi_capture_prefix, reset_fakes),
		cmocka_unit_test_setup(test_events_file, reset_fakes),
		cmocka_unit_test_setup(test_input_config, reset_fakes),
		cmocka_unit_test_setup(test_input_delivery, reset_fakes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
